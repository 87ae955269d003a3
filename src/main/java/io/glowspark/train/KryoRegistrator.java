package io.glowspark.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.glowspark.data.Shard;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * ND4J's Kryo registrations plus the job's own RDD elements. Spark's Kryo 4 cannot build field serializers for
 * Java records, so the records that travel in RDDs go through Java serialization inside Kryo.
 */
public class KryoRegistrator extends Nd4jRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        super.registerClasses(kryo);
        kryo.register(EpochPlan.Assignment.class, new JavaSerializer());
        kryo.register(Shard.class, new JavaSerializer());
    }
}
