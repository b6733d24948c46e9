package io.xasstream.inference.loop;

import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.SpectrumInput;
import java.util.List;

/**
 * What the stages need of a model set: the poller prepares a batch, the inferrer runs it, the committer turns the
 * run into results. The service adapts the ONNX {@code Predictor} to it; the stages' tests use a fake.
 */
public interface ModelSet {
    /** An empty batch for the poller to add spectra to. */
    Preparation newBatch();

    /** The model runs over a prepared batch (the only work of the inferrer's thread). */
    Inference run(Preparation batch);

    /** One outcome per input of the batch, in input order (assembled on the committer's thread). */
    List<Outcome> results(Inference inference);

    /** The same spectra prepared for this model set. */
    default Preparation prepare(List<SpectrumInput> inputs) {
        Preparation p = newBatch();
        inputs.forEach(p::add);
        return p;
    }

    /**
     * Spectra validated and preprocessed for one model set. The poller fills it and hands it over whole; from then on
     * only the stage that holds it touches it.
     */
    interface Preparation {
        /** Validates and preprocesses one more spectrum; a refusal becomes that spectrum's outcome. */
        void add(SpectrumInput input);

        int size();

        List<SpectrumInput> inputs();

        /** The model set this batch was prepared for (a hot swap may have replaced it since). */
        ModelSet modelSet();
    }

    /** The model outputs of one batch, opaque to the stages. */
    interface Inference {
    }
}
