package io.xasstream.inference.predict;

import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.ScalarEstimate;
import io.xasstream.schema.result.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Post-processing as small pure functions: model outputs → the estimates of an InferenceResult. */
public final class Estimates {
    private static final Pattern LEADING_NUMBER = Pattern.compile("^[+]?(-?\\d+(?:\\.\\d+)?)");
    private static final Map<String, Double> VALUES = new ConcurrentHashMap<>();

    private Estimates() {
    }

    /**
     * Class probabilities (ensemble mean) and their spread → predicted class (argmax), expected value and standard
     * deviation over the numeric value of each class label (e.g. "4" → 4, "+2" → 2).
     */
    public static ClassEstimate classes(List<String> labels, float[] probabilities, float[] probabilityStd) {
        return classes(labels, probabilities, probabilityStd, null);
    }

    /** As {@link #classes(List, float[], float[])}, with the answer's verdict (null: none). */
    public static ClassEstimate classes(List<String> labels, float[] probabilities, float[] probabilityStd,
                                        Verdict verdict) {
        if (labels.size() != probabilities.length) {
            throw new IllegalArgumentException(labels.size() + " classes but " + probabilities.length
                    + " probabilities");
        }
        int best = 0;
        double total = 0;
        for (int i = 0; i < probabilities.length; i++) {
            total += probabilities[i];
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        double mean = 0;
        double[] values = new double[labels.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value(labels.get(i));
            mean += probabilities[i] / total * values[i];
        }
        double var = 0;
        for (int i = 0; i < values.length; i++) {
            var += probabilities[i] / total * (values[i] - mean) * (values[i] - mean);
        }
        return ClassEstimate.newBuilder()
                .setClasses(new ArrayList<>(labels))
                .setProbabilities(floats(probabilities))
                .setProbabilityStd(probabilityStd == null ? List.of() : floats(probabilityStd))
                .setPredicted(labels.get(best))
                .setExpectedValue(mean)
                .setStd(Math.sqrt(var))
                .setVerdict(verdict)
                .build();
    }

    /** The pseudo-PDF on the manifest's r grid with its per-point standard deviation. */
    public static PdfEstimate pdf(List<Double> r, float[] mean, float[] std) {
        return pdf(r, mean, std, null);
    }

    /** As {@link #pdf(List, float[], float[])}, with the answer's verdict (null: none). */
    public static PdfEstimate pdf(List<Double> r, float[] mean, float[] std, Verdict verdict) {
        if (r.size() != mean.length || mean.length != std.length) {
            throw new IllegalArgumentException("pdf of " + mean.length + " points, std " + std.length + ", r grid "
                    + r.size());
        }
        List<Float> rr = new ArrayList<>(r.size());
        r.forEach(v -> rr.add(v.floatValue()));
        return PdfEstimate.newBuilder().setR(rr).setMean(floats(mean)).setStd(floats(std)).setVerdict(verdict)
                .build();
    }

    public static ScalarEstimate scalar(double mean, double std, String unit) {
        return scalar(mean, std, unit, null);
    }

    /** A regressed quantity with its verdict (null: none). */
    public static ScalarEstimate scalar(double mean, double std, String unit, Verdict verdict) {
        return ScalarEstimate.newBuilder().setMean(mean).setStd(std).setUnit(unit == null ? "" : unit)
                .setVerdict(verdict).build();
    }

    static double value(String label) {
        // a handful of distinct labels, parsed once each rather than by a regex per class per result
        return VALUES.computeIfAbsent(label, Estimates::parse);
    }

    private static double parse(String label) {
        Matcher m = LEADING_NUMBER.matcher(label.trim());
        if (!m.find()) {
            throw new IllegalArgumentException("class label '" + label + "' has no numeric value");
        }
        return Double.parseDouble(m.group(1));
    }

    private static List<Float> floats(float[] values) {
        List<Float> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add(v);
        }
        return out;
    }
}
