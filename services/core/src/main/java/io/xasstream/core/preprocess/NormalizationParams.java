package io.xasstream.core.preprocess;

/**
 * Parameters of Larch's {@code pre_edge}; null means "Larch's automatic rule", and {@link #LARCH_DEFAULTS} are the
 * defaults of Larch 0.9.58.
 *
 * <p>Ranges are relative to E0 (eV). Automatic rules (Larch 0.9.58 {@code preedge}), with round = half-even:
 * <ul>
 *   <li>e0: maximum of dmu/dE ({@link E0Finder}); a given e0 outside [energy[1], energy[n-2]] is ignored and found,
 *       as Larch does; either way E0 is moved to the nearest data point;</li>
 *   <li>pre1: 5*round((energy[1]-e0)/5) if E0's index &gt; 20, else 2*round((energy[1]-e0)/2); then at least
 *       min(energy)-e0;</li>
 *   <li>pre2: 5*round(pre1/15); pre1 and pre2 are swapped if pre1 &gt; pre2;</li>
 *   <li>norm2: 5*round((max(energy)-e0)/5), at most max(energy)-e0; norm1: min(150, 5*round(norm2/15));</li>
 *   <li>nnorm: 2 if norm2-norm1 &gt;= 350, 1 if &gt;= 50, else 0; always clamped to 0..5;</li>
 *   <li>step: post-edge minus pre-edge curve at E0.</li>
 * </ul>
 *
 * @param e0       edge energy (eV), or null to find it
 * @param step     edge step (&gt; 0), or null to fit it
 * @param pre1     low end of the pre-edge line fit, relative to E0 (eV), or null
 * @param pre2     high end of the pre-edge line fit, relative to E0 (eV), or null
 * @param norm1    low end of the post-edge polynomial fit, relative to E0 (eV), or null
 * @param norm2    high end of the post-edge polynomial fit, relative to E0 (eV), or null
 * @param nnorm    post-edge polynomial degree (0..5), or null for the range rule
 * @param nvict    energy exponent: the pre-edge line is fitted to mu*E^nvict (Larch default 0)
 * @param makeFlat whether to compute flattened mu (Larch default true); if false, flat equals norm
 */
public record NormalizationParams(Double e0, Double step, Double pre1, Double pre2, Double norm1, Double norm2,
                                  Integer nnorm, int nvict, boolean makeFlat) {

    /** Larch 0.9.58 pre_edge defaults: everything automatic, nvict = 0, make_flat = True. */
    public static final NormalizationParams LARCH_DEFAULTS =
            new NormalizationParams(null, null, null, null, null, null, null, 0, true);

    /** Larch's cap on the post-edge polynomial degree (MAX_NNORM). */
    public static final int MAX_NNORM = 5;

    public NormalizationParams {
        requireFiniteOrNull("e0", e0);
        requireFiniteOrNull("pre1", pre1);
        requireFiniteOrNull("pre2", pre2);
        requireFiniteOrNull("norm1", norm1);
        requireFiniteOrNull("norm2", norm2);
        if (step != null && !(step > 0 && Double.isFinite(step))) {
            throw new IllegalArgumentException("step must be finite and > 0, got " + step);
        }
    }

    private static void requireFiniteOrNull(String name, Double v) {
        if (v != null && !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    public NormalizationParams withE0(Double v) {
        return new NormalizationParams(v, step, pre1, pre2, norm1, norm2, nnorm, nvict, makeFlat);
    }

    public NormalizationParams withStep(Double v) {
        return new NormalizationParams(e0, v, pre1, pre2, norm1, norm2, nnorm, nvict, makeFlat);
    }

    public NormalizationParams withPre(Double p1, Double p2) {
        return new NormalizationParams(e0, step, p1, p2, norm1, norm2, nnorm, nvict, makeFlat);
    }

    public NormalizationParams withNorm(Double n1, Double n2) {
        return new NormalizationParams(e0, step, pre1, pre2, n1, n2, nnorm, nvict, makeFlat);
    }

    public NormalizationParams withNnorm(Integer v) {
        return new NormalizationParams(e0, step, pre1, pre2, norm1, norm2, v, nvict, makeFlat);
    }

    public NormalizationParams withNvict(int v) {
        return new NormalizationParams(e0, step, pre1, pre2, norm1, norm2, nnorm, v, makeFlat);
    }

    public NormalizationParams withMakeFlat(boolean v) {
        return new NormalizationParams(e0, step, pre1, pre2, norm1, norm2, nnorm, nvict, v);
    }
}
