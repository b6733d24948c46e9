package io.xasstream.inference.predict;

import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.schema.result.InferenceResult;

/** What became of one input: a result, or the reason it was refused (never both, never neither). */
public record Outcome(SpectrumInput input, InferenceResult result, SpectrumRejectedException rejection) {
    public static Outcome ok(SpectrumInput input, InferenceResult result) {
        return new Outcome(input, result, null);
    }

    public static Outcome rejected(SpectrumInput input, SpectrumRejectedException e) {
        return new Outcome(input, null, e);
    }

    public boolean isResult() {
        return result != null;
    }
}
