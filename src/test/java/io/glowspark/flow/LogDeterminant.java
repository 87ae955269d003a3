package io.glowspark.flow;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * log|det A| by Householder QR (Apache Commons Math): sum of log|R_ii|. An oracle for the tests that shares no code
 * with the flow's own determinant ({@link SmallMatrix}, LU with partial pivoting).
 */
final class LogDeterminant {

    private LogDeterminant() {
    }

    static double of(double[][] a) {
        RealMatrix r = new QRDecomposition(new Array2DRowRealMatrix(a)).getR();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.log(Math.abs(r.getEntry(i, i)));
        }
        return sum;
    }
}
