package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;

import java.util.Locale;

/**
 * Linear interpolation of y(energy) onto an {@link EnergyGrid}; grid points outside the data follow the grid's
 * out-of-range rule (reject with GRID_NOT_COVERED, hold the edge value, or a constant).
 *
 * <p>Linear because it never overshoots (normalised mu stays within the data's range) and it is what the Python twin
 * reproduces to rounding. Interval rule: j = the last index with energy[j] &lt;= x, capped at n-2; value =
 * y[j] + (y[j+1] - y[j]) * ((x - energy[j]) / (energy[j+1] - energy[j])).
 */
public final class Resampler {
    private Resampler() {}

    /**
     * A new array of y resampled onto {@code grid}.
     *
     * @param energy increasing energies (eV), at least 2
     * @param y      values on those energies
     * @param e0     E0 (eV), used when the grid is relative to E0
     * @throws SpectrumRejectedException GRID_NOT_COVERED if the grid rejects and a point lies outside the data
     */
    public static double[] resample(double[] energy, double[] y, double e0, EnergyGrid grid)
            throws SpectrumRejectedException {
        double[] out = new double[grid.size()];
        resampleInto(energy, y, e0, grid, out);
        return out;
    }

    /** As {@link #resample}, writing into {@code out} (length = grid size) to spare an allocation. */
    public static void resampleInto(double[] energy, double[] y, double e0, EnergyGrid grid, double[] out)
            throws SpectrumRejectedException {
        int n = energy.length;
        int m = grid.size();
        if (n < 2 || y.length != n || out.length != m) {
            throw new IllegalArgumentException("need >= 2 points, y.length == energy.length, out.length == grid size");
        }
        double lo = energy[0];
        double hi = energy[n - 1];
        if (grid.outOfRange() == EnergyGrid.OutOfRange.REJECT) {
            double first = grid.absolute(0, e0);
            double last = grid.absolute(m - 1, e0);
            if (first < lo || last > hi) {
                throw new SpectrumRejectedException(ReasonCode.GRID_NOT_COVERED, String.format(Locale.ROOT,
                        "data %.2f..%.2f eV do not cover the grid %.2f..%.2f eV", lo, hi, first, last));
            }
        }
        int j = 0; // grid increasing, so the interval only moves right
        for (int k = 0; k < m; k++) {
            double x = grid.absolute(k, e0);
            if (x < lo || x > hi) {
                out[k] = switch (grid.outOfRange()) {
                    case EDGE_VALUE -> x < lo ? y[0] : y[n - 1];
                    case CONSTANT -> grid.fill();
                    case REJECT -> throw new IllegalStateException("unreachable: coverage checked above");
                };
                continue;
            }
            while (j < n - 2 && energy[j + 1] <= x) {
                j++;
            }
            double x0 = energy[j];
            out[k] = y[j] + (y[j + 1] - y[j]) * ((x - x0) / (energy[j + 1] - x0));
        }
    }
}
