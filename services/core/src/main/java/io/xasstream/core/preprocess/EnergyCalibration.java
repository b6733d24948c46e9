package io.xasstream.core.preprocess;

import io.xasstream.core.SpectrumRejectedException;

/**
 * Energy calibration from a reference foil: shift = tabulated edge energy - E0 of the reference mu (Larch's
 * {@code find_e0}), added to the sample's energies.
 */
public final class EnergyCalibration {
    private EnergyCalibration() {}

    /**
     * Shift (eV) that moves the reference foil's E0 onto {@code tabulatedEdge}.
     *
     * @param energy energies of the reference channel (validated, increasing)
     * @param refMu  mu of the reference foil
     * @throws SpectrumRejectedException TOO_FEW_POINTS or EDGE_NOT_FOUND for the reference
     */
    public static double shiftFromReference(double[] energy, double[] refMu, double tabulatedEdge)
            throws SpectrumRejectedException {
        // Larch's find_e0 searches the energies as given (only pre_edge de-duplicates them)
        return tabulatedEdge - E0Finder.find(energy, refMu);
    }

    /** A new array energy[i] + shift. */
    public static double[] shifted(double[] energy, double shift) {
        double[] out = new double[energy.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = energy[i] + shift;
        }
        return out;
    }
}
