package io.glowspark.config;

import java.io.Serializable;

/**
 * @param dir   run directory, any Hadoop FileSystem URI
 * @param fresh move a run that cannot be resumed (another configuration, no usable checkpoint) aside and start anew
 */
public record RunSettings(String dir, boolean fresh) implements Serializable {

    static RunSettings read(SettingsReader r) {
        String dir = r.string("run.dir");
        r.require(!dir.isBlank(), "run.dir", "must not be empty");
        return new RunSettings(dir, r.bool("run.fresh"));
    }
}
