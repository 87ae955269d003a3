package io.glowspark.cli;

import io.glowspark.config.Settings;
import io.glowspark.config.SettingsException;
import io.glowspark.train.GlowTrainer;
import io.glowspark.train.KryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Spark application: {@code spark-submit --class io.glowspark.cli.GlowSparkMain app.jar [--conf FILE] [key=value...]}.
 * Reads the settings, starts Spark and hands over to {@link GlowTrainer}; the exit code tells a scheduler what happened.
 */
public final class GlowSparkMain {

    private static final Logger log = LoggerFactory.getLogger(GlowSparkMain.class);

    private static final String USAGE = """
            usage: GlowSparkMain [--conf FILE] [key=value ...]
              --conf FILE   a configuration file (conf/local.conf, conf/cluster.conf, ...) over the built-in defaults
              key=value     overrides on top, e.g. train.epochs=3 run.dir=hdfs://nn:8020/runs/a (glowspark. prefix optional)
            exit codes: 0 done, 1 unexpected error, 2 bad configuration, input or damaged file, or a file system that
                        refuses the job (full disk), 3 run directory locked, or taken over, by another job, 4 training
                        failed, 5 file system unavailable (nothing lost: run the same command again later),
                        143 stopped by SIGTERM (resume with the same command)""";

    private GlowSparkMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args).code);
    }

    public static ExitCode run(String[] args) {
        try {
            Optional<Path> confFile = Optional.empty();
            List<String> overrides = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return ExitCode.DONE;
                    }
                    case "--conf" -> {
                        if (i + 1 == args.length) {
                            throw new SettingsException(List.of("--conf needs a file name"));
                        }
                        confFile = Optional.of(Path.of(args[++i]));
                    }
                    default -> overrides.add(args[i]);
                }
            }
            Settings settings = Settings.load(confFile, overrides);
            GlowTrainer.Outcome outcome;
            try (JavaSparkContext sc = new JavaSparkContext(sparkConf(settings))) {
                outcome = new GlowTrainer(settings, sc).run();
                log.info("exit: {}", outcome.alreadyComplete() ? "run already complete" : "training done");
            }
            System.out.print(RunSummary.text(outcome));
            return ExitCode.DONE;
        } catch (Exception | Error e) { // Hadoop's local file system reports a full disk as an Error (FSError)
            Failure failure = Failure.of(e);
            if (failure.code() == ExitCode.STOPPED) {
                log.warn(failure.message());
            } else {
                log.error(failure.message(), failure.trace());
            }
            return failure.code();
        }
    }

    /**
     * spark-submit's settings win; the configured master, Kryo and the direct task results fill in what it left
     * unset. Each training task returns its replica's parameters and optimizer state, 12 bytes per parameter (5 MB
     * for config A). Spark sends results above spark.task.maxDirectResultSize (1 MB by default) through the block
     * manager, for the driver to fetch in a second step: about 50 ms of every round in local[2] (benchmarks/README.md,
     * 2026-11-29, where a round of local[2] goes). Spark caps the setting at the RPC message size, so a model too
     * large for it still goes that way.
     */
    static SparkConf sparkConf(Settings settings) {
        SparkConf conf = new SparkConf().setAppName("glow-spark");
        if (!conf.contains("spark.master")) {
            if (settings.spark().master().isBlank()) {
                throw new SettingsException(List.of("glowspark.spark.master: no Spark master; pass --master to "
                        + "spark-submit or set spark.master=local[*]"));
            }
            conf.setMaster(settings.spark().master());
        }
        conf.setIfMissing("spark.task.maxDirectResultSize", "128m");
        if (settings.spark().kryo()) {
            conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
            conf.setIfMissing("spark.kryo.registrator", KryoRegistrator.class.getName());
        }
        return conf;
    }
}
