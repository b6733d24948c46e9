package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;

import java.util.Locale;

/**
 * E0 as Larch 0.9.58 {@code _finde0}: the energy of the largest dmu/dE that has both neighbours above 10 % of the
 * maximum, ignoring the first and last 5 % of points (at least 3).
 *
 * <p>Larch 0.9.58 does not smooth the derivative (later Larch versions do): dmu/dE is
 * {@code numpy.gradient(mu)/numpy.gradient(energy)}, i.e. central differences, computed here with the same IEEE
 * operations so the chosen index is identical. Non-finite derivatives count as -1, as in Larch.
 */
public final class E0Finder {
    private E0Finder() {}

    /** Fewest points the search accepts: it needs n &gt; 2 * max(3, n/20) points. */
    public static final int MIN_POINTS = 7;

    /**
     * Index of E0 in {@code energy}, or -1 where Larch finds none (it would then return energy[0]).
     * {@code energy} must be increasing; it is used as given (callers wanting Larch's de-duplication apply it first).
     */
    public static int findIndex(double[] energy, double[] mu) {
        int n = energy.length;
        int nmin = Math.max(3, (int) (n * 0.05));
        if (n <= 2 * nmin) {
            return -1; // Larch raises here (max of an empty slice)
        }
        // dmu over [nmin-1, n-nmin+1], the only indices the search reads, computed once into a per-thread scratch
        // array (the search is pure; the scratch never escapes)
        int lo = nmin - 1;
        int hi = n - nmin + 1;
        double[] d = scratch(hi - lo + 1);
        for (int i = lo; i <= hi; i++) {
            d[i - lo] = dmu(energy, mu, i);
        }
        double maxdmu = Double.NEGATIVE_INFINITY;
        for (int i = nmin; i < n - nmin; i++) {
            maxdmu = Math.max(maxdmu, d[i - lo]);
        }
        double threshold = maxdmu * 0.1;
        int best = -1;
        double bestVal = 0.0; // Larch starts from dmu_max = 0: only rising points qualify
        for (int i = nmin; i <= n - nmin; i++) { // Larch's loop admits i up to n - nmin inclusive
            double cur = d[i - lo];
            if (cur > bestVal && cur > threshold && d[i - 1 - lo] > threshold && d[i + 1 - lo] > threshold) {
                best = i;
                bestVal = cur;
            }
        }
        return best;
    }

    /**
     * E0 (eV) by {@link #findIndex}.
     *
     * @throws SpectrumRejectedException TOO_FEW_POINTS below {@link #MIN_POINTS}, EDGE_NOT_FOUND if no rising edge
     */
    public static double find(double[] energy, double[] mu) throws SpectrumRejectedException {
        if (energy.length < MIN_POINTS || mu.length != energy.length) {
            throw new SpectrumRejectedException(ReasonCode.TOO_FEW_POINTS, String.format(Locale.ROOT,
                    "E0 search needs at least %d points, got %d", MIN_POINTS, energy.length));
        }
        int i = findIndex(energy, mu);
        if (i < 0) {
            throw new SpectrumRejectedException(ReasonCode.EDGE_NOT_FOUND, "no rising edge in mu(E)");
        }
        return energy[i];
    }

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[1][512]);

    private static double[] scratch(int size) {
        double[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new double[Math.max(size, 2 * holder[0].length)];
        }
        return holder[0];
    }

    /** numpy.gradient(mu)[i] / numpy.gradient(energy)[i], non-finite mapped to -1 as in Larch. */
    static double dmu(double[] e, double[] mu, int i) {
        int n = e.length;
        double d;
        if (i == 0) {
            d = (mu[1] - mu[0]) / (e[1] - e[0]);
        } else if (i == n - 1) {
            d = (mu[n - 1] - mu[n - 2]) / (e[n - 1] - e[n - 2]);
        } else {
            // numpy computes ((mu[i+1]-mu[i-1])/2) / ((e[i+1]-e[i-1])/2); halving is exact in IEEE arithmetic
            // (short of subnormals), so this single division gives the bit-identical quotient
            d = (mu[i + 1] - mu[i - 1]) / (e[i + 1] - e[i - 1]);
        }
        return Double.isFinite(d) ? d : -1.0;
    }
}
