package io.glowspark.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import io.glowspark.checkpoint.CheckpointMetadata;
import io.glowspark.checkpoint.EpochMetrics;
import io.glowspark.checkpoint.StorageException;
import io.glowspark.inspect.ClassDirection;
import io.glowspark.inspect.ImageGrid;
import io.glowspark.inspect.LineChart;
import io.glowspark.inspect.OutOfDistribution;
import io.glowspark.inspect.RunReader;
import io.glowspark.inspect.TestSet;
import io.glowspark.inspect.TrainedGlow;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Command-line tools over a run directory, without Spark: {@code submit/glow-tool.sh COMMAND RUN [options]}. */
public final class GlowTool {

    private static final String USAGE = """
            usage: glow-tool.sh COMMAND RUN [options]      RUN: a run directory, local or any Hadoop URI
              evaluate RUN [--checkpoint NAME] [--data DIR]
                  test bits/dim of a checkpoint on the run's test set, or on the test files of another IDX directory;
                  of a class-conditional model also -log p(x) and its accuracy as a classifier
              sample RUN --out FILE.png [--temperatures 0,0.5,0.7,1.0] [--n 16] [--seed 0] [--digit D]
                     [--checkpoint NAME]
                  a row of n samples per temperature; the columns share their noise; --digit: every sample of
                  class D (a class-conditional model)
              classes RUN --out FILE.png [--n 8] [--temperature 0.7] [--seed 0] [--checkpoint NAME]
                  a row of n samples per class of a class-conditional model; the columns share their noise
              direction RUN --image I --toward A --away-from B --out FILE.png [--per-class 500] [--steps 6]
                        [--checkpoint NAME]
                  test image I moved along the mean latent of class A minus that of class B (each over the first
                  per-class training images of the class) by alpha from -1 to 1.5 in steps
              ood RUN --data DIR --out FILE.png [--n 2000] [--checkpoint NAME]
                  bits/dim histograms of the first n test images of the run and of another IDX directory (e.g.
                  Fashion-MNIST), and the AUROC of bits/dim as a detector of the other kind
              reconstruct RUN --out FILE.png [--n 8] [--checkpoint NAME]
                  the first n test digits, each beside its reconstruction; prints the largest pixel error
              interpolate RUN --from I --to J --out FILE.png [--steps 8] [--checkpoint NAME]
                  the straight latent path from test digit I to test digit J
              inspect RUN
                  the checkpoints' metadata and the metrics table
              curve RUN --out FILE.png
                  the bits/dim learning curve: train and test per epoch
            The checkpoint is the newest one that can be used, unless --checkpoint names one (e.g.
            ckpt-000000001200.zip); a newer one passed over is named on the error stream, with why.
            FILE.png: a local path or any Hadoop URI.
            exit codes: 0 done, 1 unexpected error, 2 bad input (the message names it)""";

    /** The most images one grid row or path may hold: the flow computes them in one batch, all in memory. */
    static final int MAX_IMAGES = 256;
    /** The most temperatures one sample grid may have (one row each). */
    static final int MAX_TEMPERATURES = 16;
    /** The most training images of a class a class direction's mean latent is taken over (MNIST has <= 6742). */
    static final int MAX_CLASS_IMAGES = 10_000;

    private final PrintStream out;
    private final PrintStream err;
    private final Configuration conf = new Configuration();

    private GlowTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err).code);
    }

    public static ExitCode run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || Set.of("--help", "-h", "help").contains(args[0])) {
            (args.length == 0 ? err : out).println(USAGE);
            return args.length == 0 ? ExitCode.BAD_INPUT : ExitCode.DONE;
        }
        try {
            new GlowTool(out, err).execute(args[0], List.of(args).subList(1, args.length));
            return ExitCode.DONE;
        } catch (Exception | Error e) { // Hadoop's local file system reports a full disk as an Error (FSError)
            Failure failure = Failure.of(e);
            err.println("glow-tool: " + failure.message() + (e instanceof UsageException ? "\n" + USAGE : ""));
            if (failure.trace() != null) {
                failure.trace().printStackTrace(err);
            }
            return failure.code();
        }
    }

    private void execute(String command, List<String> args) throws IOException {
        switch (command) {
            case "evaluate" -> evaluate(new ToolArguments(command, args, Set.of("checkpoint", "data")));
            case "sample" -> sample(new ToolArguments(command, args,
                    Set.of("checkpoint", "out", "temperatures", "n", "seed", "digit")));
            case "classes" -> classes(new ToolArguments(command, args,
                    Set.of("checkpoint", "out", "n", "temperature", "seed")));
            case "direction" -> direction(new ToolArguments(command, args,
                    Set.of("checkpoint", "out", "image", "toward", "away-from", "per-class", "steps")));
            case "ood" -> ood(new ToolArguments(command, args, Set.of("checkpoint", "out", "data", "n")));
            case "reconstruct" -> reconstruct(new ToolArguments(command, args, Set.of("checkpoint", "out", "n")));
            case "interpolate" -> interpolate(new ToolArguments(command, args,
                    Set.of("checkpoint", "out", "from", "to", "steps")));
            case "inspect" -> inspect(new ToolArguments(command, args, Set.of()));
            case "curve" -> curve(new ToolArguments(command, args, Set.of("out")));
            default -> throw new UsageException("unknown command '" + command + "'");
        }
    }

    private void evaluate(ToolArguments a) throws IOException {
        RunReader reader = RunReader.open(a.run(), conf);
        TrainedGlow model = model(reader, a);
        String data = a.optional("data");
        TestSet test = data == null ? reader.testSet() : reader.testSet(data);
        TestSet.Evaluation e = test.evaluate(model);
        out.printf(Locale.ROOT, "%s (epoch %d, iteration %d): test bits/dim %.4f on %d images of %s%n", model.name(),
                model.metadata().epoch(), model.metadata().iteration(), e.bitsPerDim(), e.images(), test.uri());
        if (model.conditional()) {
            out.printf(Locale.ROOT, "class-conditional: the bits/dim above are -log p(x | y) under each image's label; "
                    + "-log p(x) %.4f bits/dim; accuracy of argmax over y of p(x | y) %.2f%%%n", e.marginalBitsPerDim(),
                    100 * e.accuracy());
        }
    }

    private void sample(ToolArguments a) throws IOException {
        String file = a.required("out");
        double[] temperatures = a.numbers("temperatures", "0,0.5,0.7,1.0", MAX_TEMPERATURES);
        int n = a.integer("n", 16, 1, MAX_IMAGES);
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        String digit = a.optional("digit");
        TrainedGlow model = model(RunReader.open(a.run(), conf), a);
        if (digit == null) {
            writePng(file, ImageGrid.png(model.samples(n, temperatures, seed), n));
            return;
        }
        int label = classOption(a, model, "digit");
        writePng(file, ImageGrid.png(model.samplesOfClass(label, n, temperatures, seed), n));
    }

    private void classes(ToolArguments a) throws IOException {
        String file = a.required("out");
        int n = a.integer("n", 8, 1, MAX_IMAGES);
        double temperature = a.numbers("temperature", "0.7", 1)[0];
        long seed = a.integer("seed", 0, 0, Integer.MAX_VALUE);
        TrainedGlow model = model(RunReader.open(a.run(), conf), a);
        requireConditional(a, model);
        writePng(file, ImageGrid.png(model.classGrid(n, temperature, seed), n));
    }

    private void direction(ToolArguments a) throws IOException {
        String file = a.required("out");
        int image = a.integer("image", -1, 0, Integer.MAX_VALUE);
        int toward = a.integer("toward", -1, 0, Integer.MAX_VALUE);
        int awayFrom = a.integer("away-from", -1, 0, Integer.MAX_VALUE);
        if (image < 0 || toward < 0 || awayFrom < 0) {
            throw new UsageException("direction: --image, --toward and --away-from are required");
        }
        int perClass = a.integer("per-class", 500, 1, MAX_CLASS_IMAGES);
        int steps = a.integer("steps", 6, 2, MAX_IMAGES);
        RunReader reader = RunReader.open(a.run(), conf);
        TrainedGlow model = model(reader, a);
        ClassDirection direction = ClassDirection.between(model, reader.trainingSet(), toward, awayFrom, perClass);
        writePng(file, ImageGrid.png(direction.strip(reader.testImages(image), steps), steps));
        out.printf(Locale.ROOT, "test image %d (a %d) along the mean latent of class %d (%d training images) minus that "
                        + "of class %d (%d), alpha %s%n", image, reader.testLabels(image)[0], toward,
                direction.towardImages(), awayFrom, direction.awayFromImages(), ClassDirection.alphaRange(steps));
    }

    private void ood(ToolArguments a) throws IOException {
        String file = a.required("out");
        String data = a.required("data");
        int n = a.integer("n", 2000, 1, Integer.MAX_VALUE);
        RunReader reader = RunReader.open(a.run(), conf);
        TrainedGlow model = model(reader, a);
        TestSet own = reader.testSet();
        TestSet other = reader.testSet(data);
        OutOfDistribution check = new OutOfDistribution(own.bitsPerDimPerImage(model, n), other.bitsPerDimPerImage(model, n));
        writePng(file, check.histograms("test set", "other").png());
        out.printf(Locale.ROOT, "%s: mean bits/dim %.4f on %d test images of the run (%s), %.4f on %d of %s; "
                        + "AUROC of bits/dim as a detector of the other kind %.4f%n", model.name(), check.meanIn(),
                check.inDistribution().length, own.uri(), check.meanOut(), check.outOfDistribution().length,
                other.uri(), check.auroc());
    }

    private static void requireConditional(ToolArguments a, TrainedGlow model) {
        if (!model.conditional()) {
            throw new UsageException(a.command() + ": " + model.name() + " is an unconditional model; this needs a "
                    + "class-conditional one (trained with model.conditional=true)");
        }
    }

    /** The class an option names, which must be one of a class-conditional model's. */
    private static int classOption(ToolArguments a, TrainedGlow model, String option) {
        requireConditional(a, model);
        return a.integer(option, -1, 0, model.spec().classes().count() - 1);
    }

    private void reconstruct(ToolArguments a) throws IOException {
        String file = a.required("out");
        int n = a.integer("n", 8, 1, MAX_IMAGES);
        RunReader reader = RunReader.open(a.run(), conf);
        TrainedGlow model = model(reader, a);
        INDArray images = reader.testImages(IntStream.range(0, n).toArray());
        writePng(file, ImageGrid.png(model.besideReconstructions(images), 2));
        out.printf(Locale.ROOT, "largest |reconstruction - image| over %d test images: %.3g%n", n,
                model.maxReconstructionError(images));
    }

    private void interpolate(ToolArguments a) throws IOException {
        String file = a.required("out");
        int from = a.integer("from", -1, 0, Integer.MAX_VALUE);
        int to = a.integer("to", -1, 0, Integer.MAX_VALUE);
        if (from < 0 || to < 0) {
            throw new UsageException("interpolate: --from and --to are required");
        }
        int steps = a.integer("steps", 8, 2, MAX_IMAGES);
        RunReader reader = RunReader.open(a.run(), conf);
        TrainedGlow model = model(reader, a);
        writePng(file, ImageGrid.png(model.interpolate(reader.testImages(from), reader.testImages(to), steps), steps));
    }

    private void inspect(ToolArguments a) throws IOException {
        RunReader reader = RunReader.open(a.run(), conf);
        out.println("run " + reader.uri());
        out.println("model " + reader.settings().model() + ", data n-bits " + reader.settings().data().nBits());
        out.println();
        out.println("checkpoint                   epoch   iteration      images   train bpd    test bpd  written"
                + "                   state");
        for (RunReader.CheckpointEntry c : reader.checkpoints()) {
            String state = (c.usable() ? "usable" : "NOT USABLE") + c.problem().map(p -> ": " + p).orElse("");
            if (c.metadata().isPresent()) {
                CheckpointMetadata m = c.metadata().get();
                out.printf(Locale.ROOT, "%-26s %7d %11d %11d %11s %11s  %-24s  %s%n", c.name(), m.epoch(), m.iteration(),
                        m.imagesSeen(), number(m.trainBpd(), "%.4f"), number(m.testBpd(), "%.4f"),
                        Instant.ofEpochMilli(m.wallTimeMillis()), state);
            } else {
                out.printf(Locale.ROOT, "%-26s %7s %11s %11s %11s %11s  %-24s  %s%n", c.name(), "-", "-", "-", "-", "-",
                        "-", state);
            }
        }
        out.println();
        out.println("epoch   iteration      images   train bpd    test bpd    images/s     seconds  learning rate");
        for (EpochMetrics r : reader.metrics()) {
            out.printf(Locale.ROOT, "%5d %11d %11d %11s %11s %11s %11s %14s%n", r.epoch(), r.iteration(), r.imagesSeen(),
                    number(r.trainBpd(), "%.4f"), number(r.testBpd(), "%.4f"), number(r.imagesPerSecond(), "%.1f"),
                    number(r.seconds(), "%.1f"), number(r.learningRate(), "%.3g"));
        }
    }

    private void curve(ToolArguments a) throws IOException {
        String file = a.required("out");
        writePng(file, LineChart.bitsPerDim(RunReader.open(a.run(), conf).metrics()).png());
    }

    /** The checkpoint asked for, or the newest usable one; what was passed over, and why, goes to the error stream. */
    private TrainedGlow model(RunReader reader, ToolArguments a) throws IOException {
        String name = a.optional("checkpoint");
        TrainedGlow model = name == null ? reader.latest() : reader.load(name);
        model.warnings().forEach(w -> err.println("glow-tool: warning: " + w));
        return model;
    }

    private static String number(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** Writes the picture, replacing a file there; a path that cannot be written is the user's input (exit 2). */
    private void writePng(String uri, byte[] png) throws IOException {
        Path path = new Path(uri);
        try {
            FileSystem fs = path.getFileSystem(conf);
            path = fs.makeQualified(path);
            if (fs instanceof LocalFileSystem local) {
                // Written directly: Hadoop's local file system would leave a .crc file beside the picture.
                java.nio.file.Path file = local.pathToFile(path).toPath().toAbsolutePath();
                Files.createDirectories(file.getParent());
                Files.write(file, png);
            } else {
                try (OutputStream stream = fs.create(path, true)) {
                    stream.write(png);
                }
            }
        } catch (IOException | FSError e) {
            throw new StorageException(path, "cannot write the picture", e);
        }
        out.println("wrote " + path);
    }
}
