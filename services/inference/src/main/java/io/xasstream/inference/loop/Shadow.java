package io.xasstream.inference.loop;

import io.xasstream.common.topics.Topic;
import io.xasstream.schema.result.InferenceResult;
import java.util.Objects;
import java.util.Optional;

/**
 * A second model set answering the same spectra, its results to their own topic in the same transaction and never
 * to the live results; or none.
 */
public final class Shadow {
    private static final Shadow NONE = new Shadow(null, null);

    private final ModelSource models;
    private final Topic<String, InferenceResult> output;

    private Shadow(ModelSource models, Topic<String, InferenceResult> output) {
        this.models = models;
        this.output = output;
    }

    public static Shadow none() {
        return NONE;
    }

    public static Shadow of(ModelSource models, Topic<String, InferenceResult> output) {
        return new Shadow(Objects.requireNonNull(models), Objects.requireNonNull(output));
    }

    public boolean active() {
        return models != null;
    }

    /** The shadow models; empty without a shadow. */
    public Optional<ModelSource> models() {
        return Optional.ofNullable(models);
    }

    /** Where the shadow's results go; empty without a shadow. */
    public Optional<Topic<String, InferenceResult>> output() {
        return Optional.ofNullable(output);
    }
}
