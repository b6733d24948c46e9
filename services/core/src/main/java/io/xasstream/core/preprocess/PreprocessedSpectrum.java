package io.xasstream.core.preprocess;

import io.xasstream.core.edges.Edge;

/**
 * A spectrum ready for a model: its normalisation (E0, step, norm, flat, resolved parameters), the energy shift
 * applied, and the model input on the grid, with the spec that produced it (provenance).
 *
 * @param z            atomic number of the absorber
 * @param edge         the edge
 * @param tabulatedEdge tabulated edge energy (eV)
 * @param energyShift  shift added to the energies before normalising (0 unless calibrated)
 * @param calibratedByReference whether energyShift came from a reference-foil channel (then E0 is on the tabulated
 *                     energy scale and E0 - tabulatedEdge is the chemical shift of the edge)
 * @param normalization normalisation on the (shifted) input energies
 * @param modelInput   the chosen signal on the grid, or null if the spec has no grid
 * @param spec         the spec used
 */
public record PreprocessedSpectrum(int z, Edge edge, double tabulatedEdge, double energyShift,
                                   boolean calibratedByReference, NormalizationResult normalization,
                                   double[] modelInput, PreprocessingSpec spec) {
}
