package io.xasstream.core.preprocess;

/**
 * Least-squares polynomial fit of y(x) over x[from..to), by normal equations in t = (x - center) * (1/scale).
 *
 * <p>Centre = midpoint and scale = half-width of the fitted x range, so t lies in [-1, 1] and the normal matrix is
 * well conditioned for the degrees used here (at most 5). The Python twin (normalize.py, {@code _polyfit}) does the
 * same sums in the same order and the same elimination.
 */
final class PolyFitter {
    private final int nc;
    private final double center;
    private final double scale;
    private final double invScale;
    private final double[] moments; // sum t^k, k = 0 .. 2*degree
    private final double[] rhs; // sum y t^k, k = 0 .. degree
    private int count;

    PolyFitter(int degree, double xFirst, double xLast) {
        this.nc = degree + 1;
        this.center = 0.5 * (xFirst + xLast);
        double s = 0.5 * (xLast - xFirst);
        this.scale = s > 0 ? s : 1.0;
        this.invScale = 1.0 / scale;
        this.moments = new double[2 * degree + 1];
        this.rhs = new double[nc];
    }

    void add(double x, double y) {
        double t = (x - center) * invScale; // the same t as Polynomial.value, bit for bit
        double p = 1.0; // t^k
        int k = 0;
        for (; k < nc; k++) {
            moments[k] += p;
            rhs[k] += y * p;
            p *= t;
        }
        for (; k < moments.length; k++) {
            moments[k] += p;
            p *= t;
        }
        count++;
    }

    int count() {
        return count;
    }

    /** The fitted polynomial, or null if fewer points than coefficients or the system is singular. */
    Polynomial solve() {
        if (count < nc) {
            return null;
        }
        double[][] a = new double[nc][nc + 1];
        for (int i = 0; i < nc; i++) {
            for (int j = 0; j < nc; j++) {
                a[i][j] = moments[i + j];
            }
            a[i][nc] = rhs[i];
        }
        // Gaussian elimination with partial pivoting (the matrix is at most 6x6).
        for (int col = 0; col < nc; col++) {
            int piv = col;
            for (int r = col + 1; r < nc; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            if (a[piv][col] == 0.0) {
                return null;
            }
            double[] tmp = a[piv];
            a[piv] = a[col];
            a[col] = tmp;
            for (int r = col + 1; r < nc; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c <= nc; c++) {
                    a[r][c] -= f * a[col][c];
                }
            }
        }
        double[] coefs = new double[nc];
        for (int i = nc - 1; i >= 0; i--) {
            double s = a[i][nc];
            for (int j = i + 1; j < nc; j++) {
                s -= a[i][j] * coefs[j];
            }
            coefs[i] = s / a[i][i];
        }
        for (double c : coefs) {
            if (!Double.isFinite(c)) {
                return null;
            }
        }
        return new Polynomial(center, scale, coefs);
    }
}
