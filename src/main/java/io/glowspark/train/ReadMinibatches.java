package io.glowspark.train;

import io.glowspark.data.Dequantization;
import io.glowspark.data.RawImages;
import io.glowspark.data.Shard;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Runs on an executor: reads a worker's blocks by byte range from the Hadoop file system, dequantizes them with the
 * epoch's noise, shuffles the images within the assignment and cuts them into minibatches. Labels ride along as
 * class indices [N, 1]; the flow ignores them.
 */
final class ReadMinibatches implements FlatMapFunction<EpochPlan.Assignment, DataSet> {

    private final Dequantization dequantization;
    private final int batchSize;
    private final int ompThreads;
    private final HadoopConf hadoopConf;

    ReadMinibatches(Dequantization dequantization, int batchSize, int ompThreads, HadoopConf hadoopConf) {
        this.dequantization = dequantization;
        this.batchSize = batchSize;
        this.ompThreads = ompThreads;
        this.hadoopConf = hadoopConf;
    }

    @Override
    public Iterator<DataSet> call(EpochPlan.Assignment assignment) {
        Nd4jThreads.use(ompThreads);
        List<INDArray> images = new ArrayList<>();
        List<INDArray> labels = new ArrayList<>();
        for (Shard block : assignment.blocks()) {
            RawImages raw = block.read(hadoopConf.get());
            images.add(dequantization.withNoise(raw, assignment.epoch()));
            labels.add(Nd4j.createFromArray(raw.labels()).castTo(DataType.FLOAT).reshape(raw.count(), 1));
        }
        if (images.isEmpty()) {
            return Collections.emptyIterator();
        }
        INDArray x = Nd4j.concat(0, images.toArray(INDArray[]::new));
        INDArray y = Nd4j.concat(0, labels.toArray(INDArray[]::new));
        long seed = 31L * (31L * assignment.epoch() + assignment.firstBlock()) + assignment.worker();
        int[] order = shuffledIndices((int) x.size(0), new Random(seed));
        x = Nd4j.pullRows(x.reshape(x.size(0), -1), 1, order).reshape(x.shape());
        y = Nd4j.pullRows(y, 1, order);
        List<DataSet> batches = new ArrayList<>();
        for (long from = 0; from < x.size(0); from += batchSize) {
            long to = Math.min(x.size(0), from + batchSize);
            batches.add(new DataSet(rows(x, from, to), rows(y, from, to)));
        }
        return batches.iterator();
    }

    private static INDArray rows(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.interval(from, to)).dup('c');
    }

    private static int[] shuffledIndices(int n, Random rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }
}
