package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/** Composition of bijectors, applied first to last; log-dets add up. */
public final class Chain implements Bijector {

    private final List<Bijector> bijectors;

    public Chain(List<Bijector> bijectors) {
        this.bijectors = List.copyOf(bijectors);
    }

    public static Chain of(Bijector... bijectors) {
        return new Chain(List.of(bijectors));
    }

    public List<Bijector> bijectors() {
        return bijectors;
    }

    @Override
    public FlowOutput forward(INDArray x) {
        return accumulate(x, Bijector::forward);
    }

    @Override
    public FlowOutput initializeFrom(INDArray x) {
        return accumulate(x, Bijector::initializeFrom);
    }

    private FlowOutput accumulate(INDArray x, BiFunction<Bijector, INDArray, FlowOutput> step) {
        INDArray logDet = Tensors.constantPerExample(x, 0);
        INDArray h = x;
        for (Bijector b : bijectors) {
            FlowOutput out = step.apply(b, h);
            h = out.y();
            logDet.addi(out.logDet());
        }
        return new FlowOutput(h, logDet);
    }

    @Override
    public INDArray inverse(INDArray y) {
        INDArray h = y;
        for (int i = bijectors.size() - 1; i >= 0; i--) {
            h = bijectors.get(i).inverse(h);
        }
        return h;
    }

    @Override
    public INDArray backward(INDArray gradY, INDArray gradLogDet) {
        INDArray g = gradY;
        for (int i = bijectors.size() - 1; i >= 0; i--) {
            g = bijectors.get(i).backward(g, gradLogDet);
        }
        return g;
    }

    @Override
    public void initializeParameters(Random rng) {
        bijectors.forEach(b -> b.initializeParameters(rng));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        bijectors.forEach(b -> all.addAll(b.parameters()));
        return all;
    }
}
