package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;

import java.util.Locale;

/**
 * Refuses an energy/mu pair that preprocessing cannot use: missing, unequal lengths, too few points, NaN/Inf,
 * equal or decreasing energies (checked in that order, first failure wins).
 */
public final class SpectrumValidator {
    private SpectrumValidator() {}

    /** Default fewest points: enough for the E0 search margins and both fits to be meaningful. */
    public static final int DEFAULT_MIN_POINTS = 20;

    /**
     * Checks a spectrum.
     *
     * @param minPoints fewest points accepted (at least {@link E0Finder#MIN_POINTS} is enforced anyway)
     * @throws SpectrumRejectedException MISSING_FIELD, LENGTH_MISMATCH, TOO_FEW_POINTS, NON_FINITE_VALUE,
     *                                   DUPLICATE_ENERGY or NON_MONOTONIC_ENERGY
     */
    public static void validate(double[] energy, double[] mu, int minPoints) throws SpectrumRejectedException {
        if (energy == null || energy.length == 0) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no energy values");
        }
        if (mu == null || mu.length == 0) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "no mu values");
        }
        if (energy.length != mu.length) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, String.format(Locale.ROOT,
                    "%d energies but %d mu values", energy.length, mu.length));
        }
        int min = Math.max(minPoints, E0Finder.MIN_POINTS);
        if (energy.length < min) {
            throw new SpectrumRejectedException(ReasonCode.TOO_FEW_POINTS, String.format(Locale.ROOT,
                    "%d points, at least %d needed", energy.length, min));
        }
        requireFinite("energy", energy);
        requireFinite("mu", mu);
        for (int i = 1; i < energy.length; i++) {
            if (energy[i] == energy[i - 1]) {
                throw new SpectrumRejectedException(ReasonCode.DUPLICATE_ENERGY, String.format(Locale.ROOT,
                        "energy[%d] = energy[%d] = %s eV", i - 1, i, energy[i]));
            }
            if (energy[i] < energy[i - 1]) {
                throw new SpectrumRejectedException(ReasonCode.NON_MONOTONIC_ENERGY, String.format(Locale.ROOT,
                        "energy decreases at index %d: %s -> %s eV", i, energy[i - 1], energy[i]));
            }
        }
    }

    /**
     * Checks that every value is finite.
     *
     * @throws SpectrumRejectedException NON_FINITE_VALUE naming the array and index
     */
    public static void requireFinite(String name, double[] values) throws SpectrumRejectedException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new SpectrumRejectedException(ReasonCode.NON_FINITE_VALUE,
                        name + "[" + i + "] is " + values[i]);
            }
        }
    }
}
