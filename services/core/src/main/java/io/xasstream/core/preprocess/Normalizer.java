package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.preprocess.NormalizationResult.E0Source;

import java.util.Locale;

/**
 * Larch 0.9.58 {@code pre_edge}: pre-edge line, post-edge polynomial, edge step at E0, norm = (mu - pre)/step, and
 * flat = norm minus a quadratic fitted over norm1..norm2 (above E0).
 *
 * <p>Ported from larch/xafs/pre_edge.py ({@code preedge} and {@code pre_edge}) of python3-xraylarch 0.9.58. Where
 * this class differs from Larch, on purpose:
 * <ul>
 *   <li>a fitted edge step &lt;= 0 is rejected (NON_POSITIVE_EDGE_STEP); Larch takes its absolute value;</li>
 *   <li>no rising edge is rejected (EDGE_NOT_FOUND); Larch would use energy[0] as E0;</li>
 *   <li>a fit range holding fewer points than coefficients is rejected (TOO_FEW_POINTS); numpy would return a
 *       minimum-norm solution with a warning;</li>
 *   <li>fits are exact least squares in a centred variable (see {@link Polynomial}); Larch's flattening uses an
 *       iterative lmfit least-squares of the same linear model, which converges to the same curve.</li>
 * </ul>
 * Inputs are not checked for order or NaN here: run {@link SpectrumValidator} first.
 */
public final class Normalizer {
    private Normalizer() {}

    /**
     * Normalises mu(E).
     *
     * @param energy increasing energies (eV)
     * @param mu     mu(E), same length
     * @param p      parameters ({@link NormalizationParams#LARCH_DEFAULTS} for Larch's defaults)
     * @throws SpectrumRejectedException TOO_FEW_POINTS, EDGE_NOT_FOUND or NON_POSITIVE_EDGE_STEP
     */
    public static NormalizationResult normalize(double[] energy, double[] mu, NormalizationParams p)
            throws SpectrumRejectedException {
        int n = energy.length;
        if (n < E0Finder.MIN_POINTS || mu.length != n) {
            throw new SpectrumRejectedException(ReasonCode.TOO_FEW_POINTS, String.format(Locale.ROOT,
                    "normalisation needs at least %d points, got %d", E0Finder.MIN_POINTS, n));
        }
        // Larch's preedge() works on remove_dups(energy); pre_edge() then flattens on the energy as given.
        double[] en = LarchIndex.removeDups(energy);

        boolean fixed = !(p.e0() == null || p.e0() < en[1] || p.e0() > en[n - 2]);
        E0Source source = fixed ? E0Source.FIXED : E0Source.DERIVATIVE_MAX;
        int ie0 = LarchIndex.indexNearest(en, fixed ? p.e0() : derivativeE0(en, mu));
        double e0 = en[ie0];
        Ranges r = Ranges.of(p, en, e0, ie0);
        double pre1 = r.pre1();
        double pre2 = r.pre2();
        double norm1 = r.norm1();
        double norm2 = r.norm2();
        int nnorm = r.nnorm();
        int nvict = p.nvict();

        // --- pre-edge line through mu*E^nvict over [p1, p2) ---
        int p1 = LarchIndex.indexOf(en, pre1 + e0);
        int p2 = LarchIndex.indexNearest(en, pre2 + e0);
        if (p2 - p1 < 2) {
            p2 = Math.min(n, p1 + 2);
        }
        PolyFitter pf = new PolyFitter(1, en[p1], en[p2 - 1]);
        for (int i = p1; i < p2; i++) {
            pf.add(en[i], nvict == 0 ? mu[i] : mu[i] * Math.pow(en[i], nvict));
        }
        Polynomial pre = requireFit(pf.solve(), "pre-edge", p1, p2, 1);

        // --- post-edge polynomial through mu - pre-edge over [q1, q2) ---
        int q1 = LarchIndex.indexOf(en, norm1 + e0);
        int q2 = LarchIndex.indexNearest(en, norm2 + e0);
        if (q2 - q1 < 2) {
            q2 = Math.min(n, q1 + 2);
        }
        PolyFitter qf = new PolyFitter(nnorm, en[q1], en[q2 - 1]);
        for (int i = q1; i < q2; i++) {
            qf.add(en[i], mu[i] - preCurve(pre, nvict, en[i]));
        }
        Polynomial post = requireFit(qf.solve(), "post-edge", q1, q2, nnorm + 1);

        double step;
        if (p.step() != null) {
            step = p.step();
        } else {
            step = post.value(e0);
            if (!(step > 0)) {
                throw new SpectrumRejectedException(ReasonCode.NON_POSITIVE_EDGE_STEP, String.format(Locale.ROOT,
                        "edge step %.6g at E0 %.2f eV is not positive", step, e0));
            }
        }

        double[] norm = new double[n];
        double invStep = 1.0 / step; // a multiply per point instead of a divide; normalize.py does the same
        for (int i = 0; i < n; i++) {
            norm[i] = (mu[i] - preCurve(pre, nvict, en[i])) * invStep;
        }

        // --- flattening, on the energy as given (Larch's pre_edge()), degree min(nnorm, 2) ---
        int fe0 = LarchIndex.indexNearest(energy, e0);
        int f1 = LarchIndex.indexOf(energy, norm1 + e0);
        int f2 = LarchIndex.indexNearest(energy, norm2 + e0);
        if (f2 - f1 < 2) {
            f2 = Math.min(n, f1 + 2);
        }
        double[] flat;
        Polynomial flatCurve = null;
        if (p.makeFlat() && f2 - f1 > 4) {
            PolyFitter ff = new PolyFitter(Math.min(nnorm, 2), energy[f1], energy[f2 - 1]);
            for (int i = f1; i < f2; i++) {
                ff.add(energy[i], norm[i]);
            }
            flatCurve = requireFit(ff.solve(), "flattening", f1, f2, Math.min(nnorm, 2) + 1);
            flat = new double[n];
            double atE0 = flatCurve.value(energy[fe0]);
            System.arraycopy(norm, 0, flat, 0, fe0);
            for (int i = fe0; i < n; i++) {
                flat[i] = norm[i] - (flatCurve.value(energy[i]) - atE0);
            }
        } else {
            flat = norm.clone();
        }

        NormalizationParams resolved =
                new NormalizationParams(e0, step, pre1, pre2, norm1, norm2, nnorm, nvict, p.makeFlat());
        return new NormalizationResult(e0, ie0, source, step, resolved, pre, post, flatCurve, norm, flat);
    }

    /** E0 at the maximum of the derivative (Larch's find_e0). */
    private static double derivativeE0(double[] en, double[] mu) throws SpectrumRejectedException {
        int i = E0Finder.findIndex(en, mu);
        if (i < 0) {
            throw new SpectrumRejectedException(ReasonCode.EDGE_NOT_FOUND, "no rising edge in mu(E)");
        }
        return en[i];
    }

    /** Fit ranges relative to E0 and the post-edge degree, in the order and with the rounding of Larch's preedge(). */
    private record Ranges(double pre1, double pre2, double norm1, double norm2, int nnorm) {
        static Ranges of(NormalizationParams p, double[] en, double e0, int ie0) {
            double emin = en[0];
            double emax = en[en.length - 1];
            double pre1;
            if (p.pre1() == null) {
                // Larch skips the first energy point ("often bad")
                pre1 = ie0 > 20 ? 5.0 * Math.rint((en[1] - e0) / 5.0) : 2.0 * Math.rint((en[1] - e0) / 2.0);
            } else {
                pre1 = p.pre1();
            }
            pre1 = Math.max(pre1, emin - e0);
            double pre2 = p.pre2() == null ? 5.0 * Math.rint(pre1 / 15.0) : p.pre2();
            if (pre1 > pre2) {
                double t = pre1;
                pre1 = pre2;
                pre2 = t;
            }
            double norm2 = p.norm2() == null ? 5.0 * Math.rint((emax - e0) / 5.0) : p.norm2();
            if (norm2 < 0) {
                norm2 = emax - e0 - norm2; // sic, Larch 0.9.58
            }
            norm2 = Math.min(norm2, emax - e0);
            double norm1 = p.norm1() == null ? Math.min(150.0, 5.0 * Math.rint(norm2 / 15.0)) : p.norm1();
            if (norm1 > norm2) {
                double t = norm1;
                norm1 = norm2;
                norm2 = t;
            }
            int nnorm;
            if (p.nnorm() == null) {
                nnorm = 2;
                if (norm2 - norm1 < 350) {
                    nnorm = 1;
                }
                if (norm2 - norm1 < 50) {
                    nnorm = 0;
                }
            } else {
                nnorm = p.nnorm();
            }
            nnorm = Math.max(Math.min(nnorm, NormalizationParams.MAX_NNORM), 0);
            return new Ranges(pre1, pre2, norm1, norm2, nnorm);
        }
    }

    private static double preCurve(Polynomial pre, int nvict, double e) {
        double v = pre.value(e);
        return nvict == 0 ? v : v * Math.pow(e, -nvict);
    }

    private static Polynomial requireFit(Polynomial fit, String what, int from, int to, int coefficients)
            throws SpectrumRejectedException {
        if (fit == null) {
            throw new SpectrumRejectedException(ReasonCode.TOO_FEW_POINTS, String.format(Locale.ROOT,
                    "%s fit over points %d..%d: %d points cannot determine %d coefficients",
                    what, from, to - 1, Math.max(0, to - from), coefficients));
        }
        return fit;
    }
}
