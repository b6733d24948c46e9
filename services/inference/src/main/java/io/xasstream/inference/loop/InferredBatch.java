package io.xasstream.inference.loop;

import java.util.Optional;

/** A polled batch with the model runs over it: live, and the shadow's when there is one. */
record InferredBatch(PolledBatch polled, Run live, Optional<Run> shadow) implements Handoff {
    /** One model set's run over the batch. */
    record Run(ModelSet models, ModelSet.Inference inference) {
    }
}
