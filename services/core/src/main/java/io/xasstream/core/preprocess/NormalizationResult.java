package io.xasstream.core.preprocess;

/**
 * Outcome of {@link Normalizer#normalize}: E0, edge step, normalised and flattened mu on the input energies, the
 * fitted curves, and every parameter actually used ({@link #resolved}, all non-null: rerunning with it reproduces
 * this result).
 *
 * @param e0        E0 (eV), a data point of the input energy
 * @param e0Index   index of E0 in the input energy
 * @param e0Source  how E0 was obtained
 * @param edgeStep  edge step used for normalisation (&gt; 0)
 * @param resolved  the parameters used, with Larch's automatic rules resolved to values
 * @param preEdge   pre-edge line, fitted to mu*E^nvict (pre-edge curve = preEdge(E) * E^-nvict)
 * @param postEdge  post-edge polynomial, fitted to mu - pre-edge curve
 * @param flatCurve quadratic (or lower) fitted to norm over norm1..norm2 and removed above E0, or null if not made
 * @param norm      (mu - pre-edge curve) / edgeStep on the input energies
 * @param flat      norm with the flattening curve removed above E0 (equal to norm below E0 or if not made)
 */
public record NormalizationResult(double e0, int e0Index, E0Source e0Source, double edgeStep,
                                  NormalizationParams resolved, Polynomial preEdge, Polynomial postEdge,
                                  Polynomial flatCurve, double[] norm, double[] flat) {

    /** Where E0 came from. */
    public enum E0Source {
        /** Maximum of dmu/dE (Larch find_e0). */
        DERIVATIVE_MAX,
        /** Given in the parameters (moved to the nearest data point). */
        FIXED
    }

    /** Pre-edge curve value at energy e: preEdge(e) * e^-nvict. */
    public double preEdgeAt(double e) {
        int nvict = resolved.nvict();
        double v = preEdge.value(e);
        return nvict == 0 ? v : v * Math.pow(e, -nvict);
    }

    /** Post-edge curve value at energy e (pre-edge curve + post-edge polynomial, as Larch's post_edge). */
    public double postEdgeAt(double e) {
        return preEdgeAt(e) + postEdge.value(e);
    }
}
