package io.glowspark.inspect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.glowspark.checkpoint.EpochMetrics;

/**
 * A small line chart rendered with Java2D into a PNG, for notebooks (bits/dim per epoch, images/s over time, histograms
 * as step outlines). Points with a non-finite coordinate are left out and break the line. Use: {@code new
 * LineChart("bits/dim", "epoch").series("train", epochs, train).series("test", epochs, test).html()}.
 */
public final class LineChart {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final int TICKS = 5;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728)};

    private record Series(String name, double[] x, double[] y) {
    }

    private final String title;
    private final String xLabel;
    private final List<Series> series = new ArrayList<>();
    private boolean markers = true;

    public LineChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /**
     * Histograms of several samples over the same {@code bins} equal bins, as step outlines without markers: the
     * fraction of each sample that falls in each bin. The bins span the finite values, from the smallest to the
     * largest, unless the largest lie farther above the {@link #SPAN_QUANTILE} quantile of all of them pooled than
     * that quantile lies above the smallest: a few extreme values (an image a model finds absurd) would squeeze every
     * other one into a single bin. The bins then end at the quantile, the values above are counted in the last bin,
     * and the x label says how many.
     */
    public static LineChart histograms(String title, String xLabel, int bins, Map<String, double[]> samples) {
        Span span = Span.of(samples);
        double width = span.upper() > span.min() ? (span.upper() - span.min()) / bins : 1;
        String label = span.above() == 0 ? xLabel : String.format(Locale.ROOT, "%s (%d values above %.4g in the last bin)",
                xLabel, span.above(), span.upper());
        LineChart chart = new LineChart(title, label);
        chart.markers = false;
        for (Map.Entry<String, double[]> sample : samples.entrySet()) {
            double[] fractions = binFractions(sample.getValue(), span.min(), width, bins);
            double[] x = new double[2 * bins + 2];
            double[] y = new double[2 * bins + 2];
            x[0] = span.min();
            for (int b = 0; b < bins; b++) {
                x[2 * b + 1] = span.min() + b * width;
                x[2 * b + 2] = span.min() + (b + 1) * width;
                y[2 * b + 1] = fractions[b];
                y[2 * b + 2] = fractions[b];
            }
            x[2 * bins + 1] = span.min() + bins * width;
            chart.series(sample.getKey(), x, y);
        }
        return chart;
    }

    /** The share of the pooled values the bins of {@link #histograms} span at least. */
    static final double SPAN_QUANTILE = 0.99;

    /** What the bins of {@link #histograms} span: the smallest finite value to the largest or to the quantile, and how many lie above. */
    record Span(double min, double upper, int above) {

        static Span of(Map<String, double[]> samples) {
            double[] pooled = samples.values().stream().flatMapToDouble(Arrays::stream).filter(Double::isFinite)
                    .sorted().toArray();
            if (pooled.length == 0) {
                return new Span(0, 1, 0);
            }
            double min = pooled[0];
            double max = pooled[pooled.length - 1];
            double upper = pooled[(int) Math.ceil(SPAN_QUANTILE * pooled.length) - 1];
            if (max - upper <= upper - min) {
                return new Span(min, max, 0);
            }
            int above = (int) Arrays.stream(pooled).filter(v -> v > upper).count();
            return new Span(min, upper, above);
        }
    }

    String xLabel() {
        return xLabel;
    }

    /** The fraction of the finite values in each of {@code bins} bins [min + b * width, min + (b + 1) * width), the last one closed. */
    static double[] binFractions(double[] values, double min, double width, int bins) {
        double[] fractions = new double[bins];
        long finite = Arrays.stream(values).filter(Double::isFinite).count();
        for (double v : values) {
            if (Double.isFinite(v)) {
                int b = (int) Math.floor((v - min) / width);
                fractions[Math.max(0, Math.min(bins - 1, b))] += 1.0 / finite;
            }
        }
        return fractions;
    }

    /** A run's learning curve: train (mean over the epoch) and test bits/dim per epoch, epoch 0 after initialization. */
    public static LineChart bitsPerDim(List<EpochMetrics> metrics) {
        double[] epochs = metrics.stream().mapToDouble(EpochMetrics::epoch).toArray();
        return new LineChart("bits/dim", "epoch")
                .series("train", epochs, metrics.stream().mapToDouble(EpochMetrics::trainBpd).toArray())
                .series("test", epochs, metrics.stream().mapToDouble(EpochMetrics::testBpd).toArray());
    }

    /** Adds a named line; x and y have the same length. */
    public LineChart series(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " x values but " + y.length + " y values");
        }
        series.add(new Series(name, x.clone(), y.clone()));
        return this;
    }

    public byte[] png() {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        return Png.encode(image);
    }

    /** An HTML {@code <img>} with the PNG inline, e.g. for a Zeppelin paragraph's {@code %html} output. */
    public String html() {
        return Png.html(png());
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Color.BLACK);
        g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
        g.drawString(title, LEFT, TOP - 16);
        g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
        g.drawString(xLabel, LEFT + (plotWidth() - fm.stringWidth(xLabel)) / 2, HEIGHT - 12);

        double[] xRange = range(true);
        double[] yRange = range(false);
        g.setColor(Color.GRAY);
        g.drawRect(LEFT, TOP, plotWidth(), plotHeight());
        for (double xv : ticks(xRange)) {
            int px = px(xv, xRange);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, TOP + plotHeight(), px, TOP + plotHeight() + 4);
            String text = label(xv, xRange);
            g.drawString(text, px - fm.stringWidth(text) / 2, TOP + plotHeight() + 18);
        }
        for (double yv : ticks(yRange)) {
            int py = py(yv, yRange);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(LEFT + 1, py, LEFT + plotWidth() - 1, py);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(LEFT - 4, py, LEFT, py);
            String text = label(yv, yRange);
            g.drawString(text, LEFT - 8 - fm.stringWidth(text), py + fm.getAscent() / 2);
        }

        g.setStroke(new BasicStroke(2f));
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            Color color = COLORS[s % COLORS.length];
            g.setColor(color);
            Path2D path = new Path2D.Double();
            boolean open = false;
            for (int i = 0; i < line.x().length; i++) {
                if (!Double.isFinite(line.x()[i]) || !Double.isFinite(line.y()[i])) {
                    open = false;
                    continue;
                }
                int px = px(line.x()[i], xRange);
                int py = py(line.y()[i], yRange);
                if (open) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    open = true;
                }
                if (markers) {
                    g.fillOval(px - 3, py - 3, 7, 7);
                }
            }
            g.draw(path);
            int legendX = LEFT + plotWidth() - 100 * (series.size() - s);
            g.fillRect(legendX, TOP - 12, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(line.name(), legendX + 18, TOP - 6);
        }
    }

    /** The finite [min, max] of all x (or y) values, widened when empty or flat. */
    private double[] range(boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series line : series) {
            for (int i = 0; i < line.x().length; i++) {
                double v = x ? line.x()[i] : line.y()[i];
                if (Double.isFinite(line.x()[i]) && Double.isFinite(line.y()[i])) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (min > max) {
            return new double[]{0, 1};
        }
        if (min == max) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
            return new double[]{min - pad, max + pad};
        }
        double pad = x ? 0 : (max - min) * 0.05;
        return new double[]{min - pad, max + pad};
    }

    /** About TICKS steps across the range: 1, 2 or 5 times a power of ten. */
    private static double tickStep(double[] range) {
        double raw = (range[1] - range[0]) / TICKS;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double mantissa = raw / power;
        return (mantissa < 1.5 ? 1 : mantissa < 3.5 ? 2 : mantissa < 7.5 ? 5 : 10) * power;
    }

    /** The multiples of the tick step inside the range. */
    private static List<Double> ticks(double[] range) {
        double step = tickStep(range);
        List<Double> ticks = new ArrayList<>();
        for (long k = (long) Math.ceil(range[0] / step - 1e-9); k * step <= range[1] + step * 1e-9; k++) {
            ticks.add(k * step);
        }
        return ticks;
    }

    /** A tick label with as many decimals as the tick step needs, or in scientific notation when very large or small. */
    private static String label(double v, double[] range) {
        double step = tickStep(range);
        double a = Math.abs(range[1]) + Math.abs(range[0]);
        if (a >= 1e6 || step < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private static int plotHeight() {
        return HEIGHT - TOP - BOTTOM;
    }

    private static int px(double v, double[] range) {
        return LEFT + (int) Math.round((v - range[0]) / (range[1] - range[0]) * plotWidth());
    }

    private static int py(double v, double[] range) {
        return TOP + plotHeight() - (int) Math.round((v - range[0]) / (range[1] - range[0]) * plotHeight());
    }
}
