package io.xasstream.inference.loop;

import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Stage 2, on its own thread: runs the models over each handed-over batch and nothing else, so that this thread
 * keeps ONNX Runtime busy while the poller fills the next batch and the committer assembles the previous one. A whole
 * batch goes to one model version: a batch prepared before a hot swap is prepared again for the new set.
 */
final class Inferrer implements Runnable {
    private final BlockingQueue<Handoff> in;
    private final BlockingQueue<Handoff> out;
    private final ModelSource models;
    private final Optional<ModelSource> shadow;
    private final Consumer<Throwable> onFailure;

    Inferrer(BlockingQueue<Handoff> in, BlockingQueue<Handoff> out, ModelSource models, Shadow shadow,
             Consumer<Throwable> onFailure) {
        this.in = in;
        this.out = out;
        this.models = models;
        this.shadow = shadow.models();
        this.onFailure = onFailure;
    }

    @Override
    public void run() {
        try {
            while (true) {
                Handoff h = in.take();
                if (h instanceof PolledBatch batch) {
                    out.put(infer(batch));
                } else {
                    out.put(h); // the end: the committer stops after what is ahead of it
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the last resort of a stop that ran out of time
        } catch (RuntimeException | Error e) {
            onFailure.accept(e);
        }
    }

    InferredBatch infer(PolledBatch batch) {
        InferredBatch.Run live = run(models.modelSet(), batch.live());
        models.closeRetired(); // no batch can run a retired model from here on
        Optional<InferredBatch.Run> shadowRun = batch.shadow().map(p -> run(shadow.orElseThrow().modelSet(), p));
        return new InferredBatch(batch, live, shadowRun);
    }

    private static InferredBatch.Run run(ModelSet set, ModelSet.Preparation prepared) {
        ModelSet.Preparation p = prepared.modelSet() == set ? prepared : set.prepare(prepared.inputs());
        return new InferredBatch.Run(set, set.run(p));
    }
}
