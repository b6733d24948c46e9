package io.xasstream.inference.predict;

import io.xasstream.inference.model.TrustRule;
import io.xasstream.schema.result.Verdict;
import java.util.List;

/**
 * Each answer's verdict from its model's {@link TrustRule} (manifest {@code trust}) and the model's own outputs, as
 * small pure functions; the Python twin that calibrates and evaluates the rule is {@code models/training/trust/rule.py}.
 * Why these checks: the ensemble's top probability and its OOD score are calibrated on simulations, and measured
 * spectra of chemistry that the simulations render poorly come out wrong and confident (model cards); so a
 * classifier's answer is trusted only where it is confident by a threshold set on simulations made unlike their
 * training data, and of a kind that measured spectra have not shown to fail.
 */
public final class Verdicts {
    private Verdicts() {
    }

    /** A classifier's verdict; null when the model has no trust rule. */
    public static Verdict ofClasses(TrustRule rule, List<String> classes, float[] probabilities, boolean ood) {
        if (rule == null) {
            return null;
        }
        if (ood) {
            return Verdict.OUT_OF_DISTRIBUTION;
        }
        int best = 0;
        for (int k = 1; k < probabilities.length; k++) {
            best = probabilities[k] > probabilities[best] ? k : best;
        }
        return probabilities[best] >= rule.minProbability() && !rule.contradictedClasses().contains(classes.get(best))
                ? Verdict.TRUSTED : Verdict.UNCERTAIN;
    }

    /** A pseudo-PDF's verdict: its summed std against its summed |mean|. Null without a trust rule. */
    public static Verdict ofPdf(TrustRule rule, float[] mean, float[] std, boolean ood) {
        if (rule == null) {
            return null;
        }
        if (ood) {
            return Verdict.OUT_OF_DISTRIBUTION;
        }
        double s = 0;
        double m = 0;
        for (int k = 0; k < mean.length; k++) {
            s += std[k];
            m += Math.abs(mean[k]);
        }
        return m > 0 && s > 0 && s <= rule.maxPdfRelativeStd() * m ? Verdict.TRUSTED : Verdict.UNCERTAIN;
    }

    /** A first-shell distance's verdict: its std against the rule's limit (Å). Null without a trust rule. */
    public static Verdict ofDistance(TrustRule rule, double std, boolean ood) {
        if (rule == null) {
            return null;
        }
        if (ood) {
            return Verdict.OUT_OF_DISTRIBUTION;
        }
        return std > 0 && std <= rule.maxDistanceStd() ? Verdict.TRUSTED : Verdict.UNCERTAIN;
    }
}
