package io.xasstream.core.preprocess;

import java.util.Arrays;

/**
 * A model's input energy grid: increasing points, absolute (eV) or relative to E0, and what to do where the
 * spectrum does not reach a grid point (reject, or pad only if the model manifest allows it).
 *
 * @param points      increasing grid energies (eV; relative to E0 when {@code reference} is RELATIVE_TO_E0)
 * @param reference   how to read the points
 * @param outOfRange  rule for grid points outside [energy[0], energy[n-1]]
 * @param fill        the value used by {@link OutOfRange#CONSTANT} (ignored otherwise)
 */
public record EnergyGrid(double[] points, Reference reference, OutOfRange outOfRange, double fill) {

    /** How grid points are given. */
    public enum Reference {
        /** Points are energies in eV. */
        ABSOLUTE,
        /** Points are E - E0 in eV. */
        RELATIVE_TO_E0
    }

    /** Rule for grid points the spectrum does not cover. */
    public enum OutOfRange {
        /** Refuse the spectrum: GRID_NOT_COVERED (the default; padding invents data). */
        REJECT,
        /** Hold the first / last value of the signal. */
        EDGE_VALUE,
        /** Use {@link EnergyGrid#fill()}. */
        CONSTANT
    }

    public EnergyGrid {
        if (points == null || points.length == 0) {
            throw new IllegalArgumentException("grid has no points");
        }
        points = points.clone();
        for (int i = 0; i < points.length; i++) {
            if (!Double.isFinite(points[i]) || (i > 0 && !(points[i] > points[i - 1]))) {
                throw new IllegalArgumentException("grid points must be finite and strictly increasing (index " + i + ")");
            }
        }
        if (reference == null || outOfRange == null) {
            throw new IllegalArgumentException("grid reference and out-of-range rule are required");
        }
        if (outOfRange == OutOfRange.CONSTANT && !Double.isFinite(fill)) {
            throw new IllegalArgumentException("constant fill must be finite");
        }
    }

    /** A strict grid (reject spectra that do not cover it). */
    public static EnergyGrid strict(double[] points, Reference reference) {
        return new EnergyGrid(points, reference, OutOfRange.REJECT, 0.0);
    }

    /** {@code n} evenly spaced points from {@code start} to {@code stop} inclusive. */
    public static double[] linspace(double start, double stop, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("linspace needs n >= 2");
        }
        double[] p = new double[n];
        double step = (stop - start) / (n - 1);
        for (int i = 0; i < n; i++) {
            p[i] = start + i * step; // same expression in normalize.py (_linspace)
        }
        return p;
    }

    /** Number of grid points. */
    public int size() {
        return points.length;
    }

    @Override
    public double[] points() {
        return points.clone();
    }

    /** Grid point i (no copy). */
    public double point(int i) {
        return points[i];
    }

    /** Absolute energy of grid point i for a spectrum with edge at e0. */
    public double absolute(int i, double e0) {
        return reference == Reference.RELATIVE_TO_E0 ? e0 + points[i] : points[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnergyGrid g && Arrays.equals(g.points, points) && g.reference == reference
                && g.outOfRange == outOfRange && Double.compare(g.fill, fill) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(points) * 31 + reference.hashCode() * 7 + outOfRange.hashCode()
                + Double.hashCode(fill);
    }

    @Override
    public String toString() {
        return "EnergyGrid[" + points.length + " points " + points[0] + ".." + points[points.length - 1] + " eV, "
                + reference + ", " + outOfRange + (outOfRange == OutOfRange.CONSTANT ? " " + fill : "") + "]";
    }
}
