package io.xasstream.core.preprocess;

import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.AbsorptionEdges;
import io.xasstream.core.edges.Edge;

/**
 * The preprocessing stage: validate, (calibrate), normalise as Larch, check the edge window, resample onto the
 * model grid; any refusal is a {@link SpectrumRejectedException} with its reason code.
 */
public final class Preprocessor {
    private Preprocessor() {}

    /**
     * Preprocesses mu(E) of element {@code element} at {@code edge}, with no energy shift.
     *
     * @throws SpectrumRejectedException UNKNOWN_ELEMENT, any {@link SpectrumValidator} reason, EDGE_NOT_FOUND,
     *                                   NON_POSITIVE_EDGE_STEP, TOO_FEW_POINTS, GRID_NOT_COVERED
     */
    public static PreprocessedSpectrum preprocess(double[] energy, double[] mu, String element, Edge edge,
                                                  PreprocessingSpec spec) throws SpectrumRejectedException {
        return preprocess(energy, mu, null, element, edge, spec);
    }

    /**
     * As {@link #preprocess(double[], double[], String, Edge, PreprocessingSpec)}, calibrating the energies first
     * with a reference-foil mu recorded on the same energies ({@code referenceMu}, or null for none): shift =
     * tabulated edge - E0 of the reference.
     */
    public static PreprocessedSpectrum preprocess(double[] energy, double[] mu, double[] referenceMu, String element,
                                                  Edge edge, PreprocessingSpec spec)
            throws SpectrumRejectedException {
        int z = AbsorptionEdges.requireTabulated(element);
        double tabulated = AbsorptionEdges.energy(z, edge);
        SpectrumValidator.validate(energy, mu, spec.minPoints());
        double shift = 0.0;
        double[] en = energy;
        if (referenceMu != null) {
            SpectrumValidator.validate(energy, referenceMu, spec.minPoints());
            shift = EnergyCalibration.shiftFromReference(energy, referenceMu, tabulated);
            en = EnergyCalibration.shifted(energy, shift);
        }
        NormalizationResult r = Normalizer.normalize(en, mu, spec.normalization());
        AbsorptionEdges.checkEdgeWindow(z, edge, r.e0(), spec.edgeWindow());
        double[] input = null;
        if (spec.grid() != null) {
            double[] signal = spec.signal() == PreprocessingSpec.Signal.FLAT ? r.flat() : r.norm();
            input = Resampler.resample(en, signal, r.e0(), spec.grid());
        }
        return new PreprocessedSpectrum(z, edge, tabulated, shift, referenceMu != null, r, input, spec);
    }
}
