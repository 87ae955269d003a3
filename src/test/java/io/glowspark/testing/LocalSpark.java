package io.glowspark.testing;

import io.glowspark.train.KryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark local[2] for tests: driver and executors in this JVM, on 127.0.0.1, no UI, Kryo as the job uses it. */
public final class LocalSpark {

    private LocalSpark() {
    }

    public static SparkConf conf(String appName) {
        return new SparkConf().setMaster("local[2]").setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", KryoRegistrator.class.getName());
    }

    public static JavaSparkContext start(String appName) {
        return new JavaSparkContext(conf(appName));
    }
}
