package io.xasstream.core.preprocess;

import io.xasstream.core.SpectrumRejectedException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance gates against Larch, shared by the fixture and the shared-data tests: |dE0| &lt;= 0.5 eV, relative
 * edge-step difference &lt;= 2 %, max |d norm| &lt;= 0.02 over E0-20 … E0+150 eV (where data exist). Prints the worst
 * case of each metric and its spectrum.
 */
final class LarchAgreement {
    static final double MAX_DE0 = 0.5;
    static final double MAX_REL_STEP = 0.02;
    static final double MAX_DNORM = 0.02;
    static final double WINDOW_LO = -20.0;
    static final double WINDOW_HI = 150.0;

    private LarchAgreement() {}

    record Metrics(String name, double dE0, double relStep, double dNorm, double dFlat, String paramDiff) {}

    static Metrics compare(LarchVector v) throws SpectrumRejectedException {
        // the same validation the stream applies; a reference spectrum must pass it
        SpectrumValidator.validate(v.energy(), v.mu(), SpectrumValidator.DEFAULT_MIN_POINTS);
        NormalizationResult r = Normalizer.normalize(v.energy(), v.mu(), NormalizationParams.LARCH_DEFAULTS);
        double dNorm = 0;
        double dFlat = 0;
        for (int i = 0; i < v.energy().length; i++) {
            double rel = v.energy()[i] - v.e0();
            if (rel >= WINDOW_LO && rel <= WINDOW_HI) {
                dNorm = Math.max(dNorm, Math.abs(r.norm()[i] - v.norm()[i]));
                dFlat = v.flat() == null ? Double.NaN : Math.max(dFlat, Math.abs(r.flat()[i] - v.flat()[i]));
            }
        }
        NormalizationParams p = r.resolved();
        var d = v.details();
        StringBuilder diff = new StringBuilder();
        paramDiff(diff, "pre1", p.pre1(), d.get("pre1").asDouble());
        paramDiff(diff, "pre2", p.pre2(), d.get("pre2").asDouble());
        paramDiff(diff, "norm1", p.norm1(), d.get("norm1").asDouble());
        paramDiff(diff, "norm2", p.norm2(), d.get("norm2").asDouble());
        paramDiff(diff, "nnorm", p.nnorm(), d.get("nnorm").asDouble());
        paramDiff(diff, "nvict", p.nvict(), d.get("nvict").asDouble());
        return new Metrics(v.name(), Math.abs(r.e0() - v.e0()), Math.abs(r.edgeStep() - v.edgeStep()) / v.edgeStep(),
                dNorm, dFlat, diff.toString());
    }

    private static void paramDiff(StringBuilder sb, String name, double java, double larch) {
        if (Math.abs(java - larch) > 1e-9 * Math.max(1, Math.abs(larch))) {
            sb.append(String.format(Locale.ROOT, " %s java=%s larch=%s", name, java, larch));
        }
    }

    /** Compares every vector, prints the worst cases, and asserts the gates (and that Larch's ranges were resolved alike). */
    static List<Metrics> checkAll(String label, List<LarchVector> vectors) throws SpectrumRejectedException {
        assertThat(vectors).as("%s: Larch vectors", label).isNotEmpty();
        List<Metrics> all = new ArrayList<>();
        for (LarchVector v : vectors) {
            all.add(compare(v));
        }
        Metrics wE0 = all.get(0);
        Metrics wStep = all.get(0);
        Metrics wNorm = all.get(0);
        Metrics wFlat = all.get(0);
        for (Metrics m : all) {
            wE0 = m.dE0() > wE0.dE0() ? m : wE0;
            wStep = m.relStep() > wStep.relStep() ? m : wStep;
            wNorm = m.dNorm() > wNorm.dNorm() ? m : wNorm;
            wFlat = m.dFlat() > wFlat.dFlat() || Double.isNaN(wFlat.dFlat()) ? m : wFlat;
        }
        System.out.printf(Locale.ROOT, "Larch agreement (%s, %d spectra):%n", label, all.size());
        System.out.printf(Locale.ROOT, "  worst |dE0|        = %.3g eV  (%s)   gate %.2f eV%n", wE0.dE0(), wE0.name(), MAX_DE0);
        System.out.printf(Locale.ROOT, "  worst rel d step   = %.3g     (%s)   gate %.2f%n", wStep.relStep(), wStep.name(), MAX_REL_STEP);
        System.out.printf(Locale.ROOT, "  worst max|d norm|  = %.3g     (%s)   gate %.2f, E0%+.0f..E0%+.0f eV%n",
                wNorm.dNorm(), wNorm.name(), MAX_DNORM, WINDOW_LO, WINDOW_HI);
        if (!Double.isNaN(wFlat.dFlat())) {
            System.out.printf(Locale.ROOT, "  worst max|d flat|  = %.3g     (%s)   not gated%n", wFlat.dFlat(), wFlat.name());
        }
        for (Metrics m : all) {
            if (!m.paramDiff().isEmpty()) {
                System.out.printf(Locale.ROOT, "  resolved parameters differ for %s:%s%n", m.name(), m.paramDiff());
            }
        }
        for (Metrics m : all) {
            assertThat(m.dE0()).as("%s |dE0|", m.name()).isLessThanOrEqualTo(MAX_DE0);
            assertThat(m.relStep()).as("%s relative edge-step difference", m.name()).isLessThanOrEqualTo(MAX_REL_STEP);
            assertThat(m.dNorm()).as("%s max |d norm|", m.name()).isLessThanOrEqualTo(MAX_DNORM);
            assertThat(m.paramDiff()).as("%s resolved pre_edge parameters", m.name()).isEmpty();
        }
        return all;
    }
}
