package io.glowspark.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import io.glowspark.data.LabeledImages;
import io.glowspark.flow.GlowSpec;

/**
 * @param levels         multi-scale levels
 * @param stepsPerLevel  flow steps per level
 * @param hiddenChannels channels of the coupling network's hidden layers
 * @param coupling       coupling transform
 * @param permutation    channel mixing before each coupling
 * @param conditioner    ActNorm in the coupling network and the zero convolutions' learned output scale
 * @param classes        the classes the priors are conditioned on (the data's: every label is a digit), or none
 */
public record ModelSettings(int levels, int stepsPerLevel, int hiddenChannels, GlowSpec.Coupling coupling,
                            GlowSpec.Permutation permutation, GlowSpec.Conditioner conditioner,
                            GlowSpec.ClassConditioning classes) implements Serializable {

    /** Reads the model section; {@code imageSide} bounds the number of levels. */
    static ModelSettings read(SettingsReader r, int imageSide) {
        int maxLevels = GlowSpec.maxLevels(imageSide, imageSide);
        int levels = r.intAtLeast("model.levels", 1);
        r.require(levels <= maxLevels, "model.levels", "must be in 1.." + maxLevels + " for " + imageSide + "x"
                + imageSide + " images (see " + SettingsReader.fullKey("data.pad-to-32") + "), got " + levels);
        return new ModelSettings(
                levels,
                r.intAtLeast("model.steps-per-level", 1),
                r.intAtLeast("model.hidden-channels", 1),
                r.choice("model.coupling", GlowSpec.Coupling.class),
                r.choice("model.permutation", GlowSpec.Permutation.class),
                new GlowSpec.Conditioner(r.bool("model.hidden-actnorm"),
                        r.doubleAtLeast("model.zero-conv-logscale-factor", 0)),
                classConditioning(r));
    }

    private static GlowSpec.ClassConditioning classConditioning(SettingsReader r) {
        boolean conditional = r.bool("model.conditional");
        boolean splitPriors = r.bool("model.conditional-split-priors");
        r.require(conditional || !splitPriors, "model.conditional-split-priors",
                "conditions the split priors of a class-conditional model: set " + SettingsReader.fullKey("model.conditional")
                        + " = true, or this to false");
        return conditional ? new GlowSpec.ClassConditioning(LabeledImages.CLASSES, splitPriors)
                : GlowSpec.ClassConditioning.NONE;
    }

    /**
     * The values as they would be written in the config, normalized (enum names lower case). A plain conditioner
     * and an unconditional model add no keys: they are the models that runs written before those options existed
     * hold.
     */
    Map<String, Object> configValues() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("levels", levels);
        values.put("steps-per-level", stepsPerLevel);
        values.put("hidden-channels", hiddenChannels);
        values.put("coupling", SettingsReader.configName(coupling));
        values.put("permutation", SettingsReader.configName(permutation));
        if (!conditioner.equals(GlowSpec.Conditioner.PLAIN)) {
            values.put("hidden-actnorm", conditioner.hiddenActNorm());
            values.put("zero-conv-logscale-factor", conditioner.logScaleFactor());
        }
        if (classes.conditional()) {
            values.put("conditional", true);
            values.put("classes", classes.count());
            values.put("conditional-split-priors", classes.splitPriors());
        }
        return values;
    }

    public GlowSpec toSpec(int channels, int height, int width, int nBits) {
        return new GlowSpec(channels, height, width, levels, stepsPerLevel, hiddenChannels, coupling, permutation,
                conditioner, nBits, classes);
    }
}
