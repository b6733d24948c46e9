package io.xasstream.core.preprocess;

import io.xasstream.core.edges.EdgeWindow;

import java.util.Objects;

/**
 * Everything a model's preprocessing needs (what its manifest states): fewest points, normalisation parameters,
 * edge window, which signal feeds the model, and its energy grid.
 *
 * @param minPoints      fewest points accepted ({@link SpectrumValidator#DEFAULT_MIN_POINTS} = 20)
 * @param normalization  pre_edge parameters ({@link NormalizationParams#LARCH_DEFAULTS})
 * @param edgeWindow     where E0 must lie around the tabulated edge ({@link EdgeWindow#DEFAULT}: ±50 eV)
 * @param signal         NORM or FLAT (Larch's norm or flat)
 * @param grid           the model's grid, or null for normalisation only
 */
public record PreprocessingSpec(int minPoints, NormalizationParams normalization, EdgeWindow edgeWindow,
                                Signal signal, EnergyGrid grid) {

    /** Which normalised signal is resampled onto the grid. */
    public enum Signal {
        /** (mu - pre-edge) / step. */
        NORM,
        /** norm with the post-edge curvature removed above E0 (Athena's "flattened"). */
        FLAT
    }

    public PreprocessingSpec {
        Objects.requireNonNull(normalization, "normalization");
        Objects.requireNonNull(edgeWindow, "edgeWindow");
        Objects.requireNonNull(signal, "signal");
    }

    /** Larch defaults, default window, 20 points minimum, flat mu on {@code grid}. */
    public static PreprocessingSpec defaults(EnergyGrid grid) {
        return new PreprocessingSpec(SpectrumValidator.DEFAULT_MIN_POINTS, NormalizationParams.LARCH_DEFAULTS,
                EdgeWindow.DEFAULT, Signal.FLAT, grid);
    }

    public PreprocessingSpec withNormalization(NormalizationParams p) {
        return new PreprocessingSpec(minPoints, p, edgeWindow, signal, grid);
    }

    public PreprocessingSpec withSignal(Signal s) {
        return new PreprocessingSpec(minPoints, normalization, edgeWindow, s, grid);
    }

    public PreprocessingSpec withGrid(EnergyGrid g) {
        return new PreprocessingSpec(minPoints, normalization, edgeWindow, signal, g);
    }

    public PreprocessingSpec withEdgeWindow(EdgeWindow w) {
        return new PreprocessingSpec(minPoints, normalization, w, signal, grid);
    }

    public PreprocessingSpec withMinPoints(int n) {
        return new PreprocessingSpec(n, normalization, edgeWindow, signal, grid);
    }
}
