package io.glowspark.bench;

/** Ordinary least squares of y on the columns of x (no intercept added: give a column of ones for one). */
final class LeastSquares {

    private LeastSquares() {
    }

    /** The coefficients b minimizing |x b - y|, from the normal equations. */
    static double[] fit(double[][] x, double[] y) {
        int n = x.length;
        int k = x[0].length;
        if (n < k) {
            throw new IllegalArgumentException(n + " points cannot fix " + k + " coefficients");
        }
        double[][] a = new double[k][k + 1];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < k; r++) {
                for (int c = 0; c < k; c++) {
                    a[r][c] += x[i][r] * x[i][c];
                }
                a[r][k] += x[i][r] * y[i];
            }
        }
        for (int p = 0; p < k; p++) {
            int pivot = p;
            for (int r = p + 1; r < k; r++) {
                if (Math.abs(a[r][p]) > Math.abs(a[pivot][p])) {
                    pivot = r;
                }
            }
            double[] swap = a[p];
            a[p] = a[pivot];
            a[pivot] = swap;
            if (Math.abs(a[p][p]) < 1e-12 * Math.max(1, Math.abs(a[p][k]))) {
                throw new IllegalArgumentException("the points do not fix coefficient " + p);
            }
            for (int r = 0; r < k; r++) {
                if (r != p) {
                    double factor = a[r][p] / a[p][p];
                    for (int c = p; c <= k; c++) {
                        a[r][c] -= factor * a[p][c];
                    }
                }
            }
        }
        double[] b = new double[k];
        for (int r = 0; r < k; r++) {
            b[r] = a[r][k] / a[r][r];
        }
        return b;
    }
}
