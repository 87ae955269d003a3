package io.glowspark.flow;

import java.util.Arrays;
import java.util.Random;

/**
 * Dense linear algebra on the small C x C channel-mixing matrices, in double precision on the JVM:
 * random rotations, LU decomposition with partial pivoting, determinant, inverse, products. At C <= 16 this is
 * cheaper than ND4J, whose every op costs native calls and short-lived Java objects whatever the size.
 */
final class SmallMatrix {

    /** A = P L U with P a permutation, L unit lower triangular, U upper triangular. */
    record Lu(double[][] p, double[][] l, double[][] u) {
    }

    private SmallMatrix() {
    }

    /** A uniformly random orthogonal matrix: Gram-Schmidt on a Gaussian matrix. */
    static double[][] randomOrthogonal(int n, Random rng) {
        double[][] q = new double[n][n];
        for (int col = 0; col < n; col++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextGaussian();
            }
            for (int prev = 0; prev < col; prev++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * q[i][prev];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i][prev];
                }
            }
            double norm = 0;
            for (double value : v) {
                norm += value * value;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i][col] = v[i] / norm;
            }
        }
        return q;
    }

    static Lu lu(double[][] a) {
        int n = a.length;
        double[][] u = copy(a);
        double[][] l = identity(n);
        int[] rowOf = new int[n];
        for (int i = 0; i < n; i++) {
            rowOf[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(u[i][k]) > Math.abs(u[pivot][k])) {
                    pivot = i;
                }
            }
            swapRows(u, k, pivot);
            swapRowPrefix(l, k, pivot, k);
            int t = rowOf[k];
            rowOf[k] = rowOf[pivot];
            rowOf[pivot] = t;
            for (int i = k + 1; i < n; i++) {
                double f = u[i][k] / u[k][k];
                l[i][k] = f;
                for (int j = k; j < n; j++) {
                    u[i][j] -= f * u[k][j];
                }
            }
        }
        // Row k of U came from row rowOf[k] of A: (P^T A)[k] = A[rowOf[k]], so P[rowOf[k]][k] = 1.
        double[][] p = new double[n][n];
        for (int k = 0; k < n; k++) {
            p[rowOf[k]][k] = 1;
        }
        return new Lu(p, l, u);
    }

    static double logAbsDet(double[][] a) {
        double[][] u = lu(a).u();
        double sum = 0;
        for (int i = 0; i < u.length; i++) {
            sum += Math.log(Math.abs(u[i][i]));
        }
        return sum;
    }

    /** Inverse by Gauss-Jordan elimination with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = copy(a);
        double[][] inv = identity(n);
        for (int k = 0; k < n; k++) {
            int pivot = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(m[i][k]) > Math.abs(m[pivot][k])) {
                    pivot = i;
                }
            }
            if (m[pivot][k] == 0) {
                throw new ArithmeticException("singular matrix");
            }
            swapRows(m, k, pivot);
            swapRows(inv, k, pivot);
            double d = m[k][k];
            for (int j = 0; j < n; j++) {
                m[k][j] /= d;
                inv[k][j] /= d;
            }
            for (int i = 0; i < n; i++) {
                if (i != k && m[i][k] != 0) {
                    double f = m[i][k];
                    for (int j = 0; j < n; j++) {
                        m[i][j] -= f * m[k][j];
                        inv[i][j] -= f * inv[k][j];
                    }
                }
            }
        }
        return inv;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int inner = b.length;
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < inner; k++) {
                double aik = a[i][k];
                for (int j = 0; j < c[i].length; j++) {
                    c[i][j] += aik * b[k][j];
                }
            }
        }
        return c;
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static double[][] unflatten(double[] values, int rows, int columns) {
        double[][] m = new double[rows][];
        for (int i = 0; i < rows; i++) {
            m[i] = Arrays.copyOfRange(values, i * columns, (i + 1) * columns);
        }
        return m;
    }

    static double[] flatten(double[][] m) {
        int n = m.length;
        double[] out = new double[n * m[0].length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], 0, out, i * m[0].length, m[0].length);
        }
        return out;
    }

    static double[][] identity(int n) {
        double[][] id = new double[n][n];
        for (int i = 0; i < n; i++) {
            id[i][i] = 1;
        }
        return id;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    private static void swapRows(double[][] m, int a, int b) {
        double[] t = m[a];
        m[a] = m[b];
        m[b] = t;
    }

    private static void swapRowPrefix(double[][] m, int a, int b, int length) {
        for (int j = 0; j < length; j++) {
            double t = m[a][j];
            m[a][j] = m[b][j];
            m[b][j] = t;
        }
    }
}
