package io.xasstream.monitor.detect;

import io.xasstream.schema.monitor.StoredLevel;

/**
 * The level of a quantity over a run of points: inverse-variance weighted mean, its standard error (the larger of
 * the propagated per-point uncertainty and the observed scatter) and the RMS of the per-point uncertainties.
 * Sums are taken about the first value, so that the variance of values ~2.0 ± 0.01 keeps its digits.
 */
public final class Level {
    /** Per-point uncertainties below this are taken as this (a zero std must not get an infinite weight). */
    static final double MIN_SIGMA = 1e-6;

    private long n;
    private double shift;
    private double sw;
    private double swx;
    private double swxx;
    private double sumSigma2;

    public void add(double x, double sigma) {
        if (n == 0) {
            shift = x;
        }
        double s = Math.max(sigma, MIN_SIGMA);
        double w = 1.0 / (s * s);
        double d = x - shift;
        n++;
        sw += w;
        swx += w * d;
        swxx += w * d * d;
        sumSigma2 += s * s;
    }

    public void clear() {
        n = 0;
        shift = sw = swx = swxx = sumSigma2 = 0;
    }

    public void copyFrom(Level o) {
        n = o.n;
        shift = o.shift;
        sw = o.sw;
        swx = o.swx;
        swxx = o.swxx;
        sumSigma2 = o.sumSigma2;
    }

    public long count() {
        return n;
    }

    /** Weighted mean (NaN when empty). */
    public double mean() {
        return n == 0 ? Double.NaN : shift + swx / sw;
    }

    /** Weighted scatter of the values about their mean (0 for fewer than two points). */
    public double scatter() {
        if (n < 2) {
            return 0;
        }
        double m = swx / sw;
        double var = Math.max(0, swxx / sw - m * m) * n / (n - 1.0);
        return Math.sqrt(var);
    }

    /** Standard error of the mean: propagated uncertainty, or the observed scatter when that is larger. */
    public double standardError() {
        if (n == 0) {
            return Double.NaN;
        }
        double propagated = 1.0 / sw;
        double observed = scatter() * scatter() / n;
        return Math.sqrt(Math.max(propagated, observed));
    }

    /** Root mean square of the per-point uncertainties. */
    public double rmsSigma() {
        return n == 0 ? Double.NaN : Math.sqrt(sumSigma2 / n);
    }

    public StoredLevel toStored() {
        return new StoredLevel(n, shift, sw, swx, swxx, sumSigma2);
    }

    public void restore(StoredLevel s) {
        n = s.getCount();
        shift = s.getShift();
        sw = s.getSw();
        swx = s.getSwx();
        swxx = s.getSwxx();
        sumSigma2 = s.getSumSigma2();
    }
}
