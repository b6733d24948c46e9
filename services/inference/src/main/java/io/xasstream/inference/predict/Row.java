package io.xasstream.inference.predict;

import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.inference.model.LoadedModel;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One spectrum of a batch: its input and either the preprocessed input of each model that takes it (with the tasks
 * no model could take, as quality flags) or the refusal that is its outcome.
 */
record Row(SpectrumInput input, Map<LoadedModel, PreprocessedSpectrum> byModel, List<String> skipped,
           Outcome refusal) {
    static Row prepared(SpectrumInput input, Map<LoadedModel, PreprocessedSpectrum> byModel, List<String> skipped) {
        // unmodifiable views, not copies: the models' order (the result's model list) is the registry's
        return new Row(input, Collections.unmodifiableMap(byModel), List.copyOf(skipped), null);
    }

    static Row refused(SpectrumInput input, SpectrumRejectedException e) {
        return new Row(input, Map.of(), List.of(), Outcome.rejected(input, e));
    }

    boolean isRefused() {
        return refusal != null;
    }
}
