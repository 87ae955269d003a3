package io.glowspark.flow;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each parameter lives in one flat vector: trainable parameters first, then the fixed ones, each in the
 * model's order. Keeping the fixed ones together gives the updater one block to skip instead of many.
 */
public final class ParameterLayout {

    private final List<Parameter> ordered;
    private final List<String> names;
    private final List<String> trainableNames;
    private final Set<String> trainable;

    public ParameterLayout(List<Parameter> parameters) {
        List<Parameter> sorted = new ArrayList<>(parameters);
        sorted.sort(Comparator.comparing(p -> !p.isTrainable()));
        this.ordered = List.copyOf(sorted);
        this.names = ordered.stream().map(Parameter::name).toList();
        this.trainableNames = ordered.stream().filter(Parameter::isTrainable).map(Parameter::name).toList();
        this.trainable = Set.copyOf(trainableNames);
    }

    public List<Parameter> parameters() {
        return ordered;
    }

    /** Parameter names in layout order. */
    public List<String> names() {
        return names;
    }

    /** Names of the trainable parameters in layout order. */
    public List<String> trainableNames() {
        return trainableNames;
    }

    /** Whether the named parameter is trainable; DL4J asks this for every parameter at every iteration. */
    public boolean isTrainable(String name) {
        return trainable.contains(name);
    }

    public long length() {
        return ordered.stream().mapToLong(Parameter::length).sum();
    }

    /** Views of a flat [1, length] vector, one per parameter, by name and in layout order. */
    public Map<String, INDArray> views(INDArray flat) {
        if (flat.length() != length()) {
            throw new IllegalArgumentException("expected a flat vector of " + length() + " values, got " + flat.length());
        }
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> views = new LinkedHashMap<>();
        long offset = 0;
        for (Parameter p : ordered) {
            views.put(p.name(), row.get(NDArrayIndex.interval(offset, offset + p.length())).reshape('c', p.shape()));
            offset += p.length();
        }
        return views;
    }

    public void bindValues(Map<String, INDArray> views) {
        ordered.forEach(p -> p.bindValue(views.get(p.name())));
    }

    public void bindGradients(Map<String, INDArray> views) {
        ordered.forEach(p -> p.bindGradient(views.get(p.name())));
    }
}
