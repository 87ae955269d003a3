package io.glowspark.cli;

import io.glowspark.train.FinalPictures;
import io.glowspark.train.GlowTrainer;

import java.util.Locale;

/**
 * The closing text of a complete run, the same whether it trained just now or was complete already: the final
 * model's test bits/dim, where each picture is, and the commands to go on with (run from the repository root).
 */
final class RunSummary {

    private RunSummary() {
    }

    static String text(GlowTrainer.Outcome outcome) {
        FinalPictures.Report report = outcome.pictures();
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%nThe run is complete: %d epoch%s, test bits/dim %.4f on %d test images "
                + "(Polyak-averaged parameters).%n", outcome.epochsDone(), outcome.epochsDone() == 1 ? "" : "s",
                outcome.testBpd(), report.testImages()));
        text.append("Run directory: ").append(report.runDir()).append('\n');
        text.append("Pictures of the final model:\n");
        for (FinalPictures.Picture picture : report.pictures()) {
            text.append("  ").append(picture.shows()).append('\n');
            text.append("    ").append(picture.location()).append('\n');
        }
        text.append("  a grid of samples after every epoch\n");
        text.append("    ").append(report.samplesDir()).append("/epoch-*.png\n");
        text.append("Next:\n");
        text.append("  submit/glow-tool.sh inspect ").append(report.runDir())
                .append("\n      checkpoints and metrics; submit/glow-tool.sh --help: curves, samples, reconstructions "
                        + "and interpolations of any checkpoint\n");
        text.append("  notebooks/training-run.zpln, notebooks/model-explorer.zpln\n")
                .append("      the Zeppelin notes over this run directory (README.md, \"Notebooks\")\n");
        text.append("  submit/cluster.sh --help\n")
                .append("      the same job on a Spark cluster: standalone, YARN or Kubernetes\n");
        return text.toString();
    }
}
