package io.xasstream.inference.predict;

import io.xasstream.inference.model.ModelOutput;
import java.util.Map;

/** One model's outputs for one spectrum, read by logical name (the manifest's {@code outputs} keys). */
record ModelAnswer(Map<String, float[]> values) {
    boolean has(ModelOutput o) {
        return values.containsKey(o.key());
    }

    float[] get(ModelOutput o) {
        float[] v = values.get(o.key());
        if (v == null) {
            // the manifest check at load makes this a programming error, not bad input
            throw new IllegalStateException("the model gave no '" + o.key() + "' output");
        }
        return v;
    }

    double scalar(ModelOutput o) {
        return get(o)[0];
    }
}
