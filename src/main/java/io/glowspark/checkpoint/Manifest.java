package io.glowspark.checkpoint;

/**
 * Contents of {@code MANIFEST.json}: the latest complete checkpoint and the best one by test bits/dim.
 * A hint for readers, never the only truth: the checkpoint files themselves are.
 *
 * @param latest        file name of the newest complete checkpoint
 * @param best          file name of the checkpoint with the lowest test bits/dim, null if none has one
 * @param bestTestBpd   its test bits/dim, NaN if none
 * @param updatedMillis when the manifest was written
 */
record Manifest(String latest, String best, double bestTestBpd, long updatedMillis) {
}
