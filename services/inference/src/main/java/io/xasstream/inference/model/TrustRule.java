package io.xasstream.inference.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's trust rule, the manifest entry's {@code trust} block: the parameters from which each answer's verdict
 * (TRUSTED, UNCERTAIN, OUT_OF_DISTRIBUTION) is computed ({@code io.xasstream.inference.predict.Verdicts}). The
 * training pipeline ({@code models/training/trust}) fits them and writes them; the model card says how.
 *
 * <p>{@code rule = "classes"} (a classifier): TRUSTED when the top probability is at least {@code minProbability}
 * and the predicted class is not one that measured development spectra showed answered wrongly with that confidence
 * ({@code contradicted}).
 * {@code rule = "interval"} (a regressor): TRUSTED when the answer's interval is narrow enough to be used, the
 * pseudo-PDF's summed std at most {@code maxPdfRelativeStd} of its summed |mean|, the distance's std at most
 * {@code maxDistanceStd} (a limit of 0: never). Either rule: OUT_OF_DISTRIBUTION whenever the model's OOD score
 * exceeds its threshold.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrustRule(String rule, Double minProbability, List<String> contradicted, Double maxPdfRelativeStd,
                        Double maxDistanceStd, String calibration) {
    public static final String CLASSES = "classes";
    public static final String INTERVAL = "interval";

    /** The classes that measured spectra contradicted; never null. */
    public List<String> contradictedClasses() {
        return contradicted == null ? List.of() : contradicted;
    }

    /**
     * What is wrong with this rule for that manifest entry, empty when nothing: a rule that cannot be applied as
     * written must stop the service at load, not quietly trust every answer.
     */
    public List<String> problems(ModelManifest.Entry e) {
        List<String> out = new ArrayList<>();
        if (CLASSES.equals(rule)) {
            if (e.classes() == null || e.classes().isEmpty()) {
                out.add("rule 'classes' on a model without classes");
                return out;
            }
            if (minProbability == null || !(minProbability > 0 && minProbability <= 1)) {
                out.add("minProbability must be in (0, 1], not " + minProbability);
            }
            for (String c : contradictedClasses()) {
                if (!e.classes().contains(c)) {
                    out.add("contradicted class '" + c + "' is not one of " + e.classes());
                }
            }
        } else if (INTERVAL.equals(rule)) {
            boolean pdf = e.outputs() != null && e.outputs().containsKey(ModelOutput.PDF_MEAN.key());
            boolean distance = e.outputs() != null && e.outputs().containsKey(ModelOutput.DISTANCE_MEAN.key());
            if (!pdf && !distance) {
                out.add("rule 'interval' on a model without pdf or distance outputs");
            }
            // 0 is a limit too: no interval was narrow enough on simulations, so nothing is TRUSTED
            if (pdf && !(maxPdfRelativeStd != null && maxPdfRelativeStd >= 0)) {
                out.add("maxPdfRelativeStd must be >= 0, not " + maxPdfRelativeStd);
            }
            if (distance && !(maxDistanceStd != null && maxDistanceStd >= 0)) {
                out.add("maxDistanceStd must be >= 0, not " + maxDistanceStd);
            }
        } else {
            out.add("unknown rule '" + rule + "' (classes or interval)");
        }
        return out;
    }
}
