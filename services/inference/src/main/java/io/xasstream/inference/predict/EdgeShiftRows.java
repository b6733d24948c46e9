package io.xasstream.inference.predict;

import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.PreprocessedSpectrum;

/**
 * A spectrum's edge_shift row: (E0 - tabulated edge, 1) when a reference channel calibrated its energies and E0 was
 * found in it (not fixed by the sender), else (0, 0), "position unknown".
 */
public final class EdgeShiftRows {
    private EdgeShiftRows() {}

    /** Whether the edge position of this spectrum is known on the tabulated energy scale. */
    public static boolean known(PreprocessedSpectrum p) {
        return p.calibratedByReference()
                && p.normalization().e0Source() != NormalizationResult.E0Source.FIXED;
    }

    /** The row for a graph's edge_shift input. */
    public static float[] of(PreprocessedSpectrum p) {
        return known(p) ? new float[] {(float) (p.normalization().e0() - p.tabulatedEdge()), 1f} : new float[2];
    }
}
