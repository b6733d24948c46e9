package io.xasstream.inference.service;

import io.xasstream.inference.loop.ModelSet;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.inference.predict.SpectrumInput;
import java.util.List;

/** The ONNX {@link Predictor} as the loop's {@link ModelSet}: one per registry, so a hot swap gives a new one. */
final class PredictorModelSet implements ModelSet {
    private final Predictor predictor;

    PredictorModelSet(Predictor predictor) {
        this.predictor = predictor;
    }

    @Override
    public Preparation newBatch() {
        return new Prepared(this, predictor.newBatch());
    }

    @Override
    public Inference run(Preparation batch) {
        if (batch.modelSet() != this) {
            throw new IllegalArgumentException("batch prepared for another model set");
        }
        return new Inferred(predictor.run(((Prepared) batch).batch));
    }

    @Override
    public List<Outcome> results(Inference inference) {
        return predictor.results(((Inferred) inference).inferred);
    }

    private record Prepared(PredictorModelSet set, Predictor.Prepared batch) implements Preparation {
        @Override
        public void add(SpectrumInput input) {
            batch.add(input);
        }

        @Override
        public int size() {
            return batch.size();
        }

        @Override
        public List<SpectrumInput> inputs() {
            return batch.inputs();
        }

        @Override
        public ModelSet modelSet() {
            return set;
        }
    }

    private record Inferred(Predictor.Inferred inferred) implements Inference {
    }
}
