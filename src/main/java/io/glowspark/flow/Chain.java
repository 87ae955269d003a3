package io.glowspark.flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;

/** Composition of bijectors, applied first to last; log-dets add up. */
public final class Chain implements Bijector {

    private final List<Bijector> bijectors;
    private double[] logDet;

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
    public FlowOutput forward(Tensor x) {
        return accumulate(x, Bijector::forward);
    }

    @Override
    public FlowOutput initializeFrom(Tensor x) {
        return accumulate(x, Bijector::initializeFrom);
    }

    private FlowOutput accumulate(Tensor x, BiFunction<Bijector, Tensor, FlowOutput> step) {
        logDet = Tensor.reuse(logDet, x.batch());
        Arrays.fill(logDet, 0.0);
        Tensor h = x;
        for (Bijector b : bijectors) {
            FlowOutput out = step.apply(b, h);
            h = out.y();
            for (int n = 0; n < logDet.length; n++) {
                logDet[n] += out.logDet()[n];
            }
        }
        return new FlowOutput(h, logDet);
    }

    @Override
    public Tensor inverse(Tensor y) {
        Tensor h = y;
        for (int i = bijectors.size() - 1; i >= 0; i--) {
            h = bijectors.get(i).inverse(h);
        }
        return h;
    }

    @Override
    public Tensor backward(Tensor gradY, double[] gradLogDet) {
        Tensor g = gradY;
        for (int i = bijectors.size() - 1; i >= 0; i--) {
            g = bijectors.get(i).backward(g, gradLogDet);
        }
        return g;
    }

    @Override
    public void releaseBuffers() {
        bijectors.forEach(Bijector::releaseBuffers);
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
