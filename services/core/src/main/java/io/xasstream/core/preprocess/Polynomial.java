package io.xasstream.core.preprocess;

import java.util.Arrays;

/**
 * A polynomial in the centred, scaled variable t = (E - center) * (1 / scale): p(E) = sum over n of coefs[n] * t^n.
 *
 * <p>Fits are made in t rather than in E because E^2 at 9 keV is ~8e7 and the raw Vandermonde system loses digits;
 * the fitted curve is the same function, so values agree with Larch's (numpy.polyfit in raw E) to rounding. t uses the
 * reciprocal of the scale (a multiply in the hot loops instead of a divide); normalize.py does the same.
 */
public final class Polynomial {
    private final double center;
    private final double scale;
    private final double invScale;
    private final double[] coefs;

    /** p(E) = sum coefs[n] * ((E - center) * (1/scale))^n, coefficients in ascending order. */
    public Polynomial(double center, double scale, double[] coefs) {
        this.center = center;
        this.scale = scale;
        this.invScale = 1.0 / scale;
        this.coefs = coefs.clone();
    }

    public double center() {
        return center;
    }

    public double scale() {
        return scale;
    }

    /** Coefficients, ascending powers of t (a copy). */
    public double[] coefs() {
        return coefs.clone();
    }

    /** Degree (number of coefficients - 1). */
    public int degree() {
        return coefs.length - 1;
    }

    /** Value at energy {@code e} (Horner in t: v = v * t + c). */
    public double value(double e) {
        double t = (e - center) * invScale;
        double v = 0.0;
        for (int k = coefs.length - 1; k >= 0; k--) {
            v = v * t + coefs[k];
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Polynomial p && p.center == center && p.scale == scale && Arrays.equals(p.coefs, coefs);
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(center) + 17 * Double.hashCode(scale) + Arrays.hashCode(coefs);
    }

    @Override
    public String toString() {
        return "Polynomial[center=" + center + ", scale=" + scale + ", coefs=" + Arrays.toString(coefs) + "]";
    }
}
