package io.xasstream.inference.model;

import io.xasstream.common.records.ModelTasks;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The logical outputs a model may declare in the manifest's {@code outputs} (logical name → ONNX output name): the
 * one place their spelling lives. Each task needs some of them; a manifest entry that lacks one, or names one this
 * enum does not know, is refused at load rather than answering with a missing field.
 */
public enum ModelOutput {
    PDF_MEAN, PDF_STD, DISTANCE_MEAN, DISTANCE_STD, PROBABILITIES, PROBABILITY_STD, OOD_SCORE;

    private static final Map<String, Set<ModelOutput>> REQUIRED = Map.of(
            ModelTasks.PDF, EnumSet.of(PDF_MEAN, PDF_STD),
            ModelTasks.CN, EnumSet.of(PROBABILITIES, PROBABILITY_STD),
            ModelTasks.OXIDATION, EnumSet.of(PROBABILITIES, PROBABILITY_STD));

    /** The name in the manifest, e.g. {@code pdf_mean}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The output of this manifest name. */
    public static ModelOutput of(String key) {
        try {
            return valueOf(key.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown model output '" + key + "' (known: " + keys() + ")", e);
        }
    }

    /** The outputs a model of this task must declare; empty for a task the service does not know. */
    public static Set<ModelOutput> requiredFor(String task) {
        return REQUIRED.getOrDefault(task, Set.of());
    }

    private static List<String> keys() {
        return Arrays.stream(values()).map(ModelOutput::key).toList();
    }
}
