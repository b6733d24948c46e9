package io.xasstream.inference.service;

import io.xasstream.inference.loop.ModelSet;
import io.xasstream.inference.loop.ModelSource;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.predict.Predictor;
import java.time.Clock;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live model set: a batch takes the current predictor once, so a hot swap (load and warm, then switch) never
 * splits a batch between versions and leaves no gap.
 */
public final class PredictorHolder implements ModelSource, AutoCloseable {
    private final AtomicReference<Current> current;
    private final Clock clock;
    private final Predictor.RunListener listener;
    private final Queue<ModelRegistry> retired = new ConcurrentLinkedQueue<>();

    /** A registry, the predictor over it, and that predictor as the loop sees it. */
    public record Current(ModelRegistry registry, Predictor predictor, ModelSet modelSet) {
        Current(ModelRegistry registry, Predictor predictor) {
            this(registry, predictor, new PredictorModelSet(predictor));
        }
    }

    public PredictorHolder(ModelRegistry registry, Clock clock) {
        this(registry, clock, (model, batch, nanos) -> { });
    }

    /** @param listener told the ONNX Runtime time of each model run, across swaps */
    public PredictorHolder(ModelRegistry registry, Clock clock, Predictor.RunListener listener) {
        this.clock = clock;
        this.listener = listener;
        this.current = new AtomicReference<>(new Current(registry, new Predictor(registry, clock, listener)));
    }

    public Current current() {
        return current.get();
    }

    @Override
    public ModelSet modelSet() {
        return current.get().modelSet();
    }

    /**
     * Switches to an already loaded and warmed registry. The previous one is retired: the inference loop closes it
     * between batches ({@link #closeRetired()}), when no batch can still be using it.
     */
    public void swap(ModelRegistry next) {
        retired.add(current.getAndSet(new Current(next, new Predictor(next, clock, listener))).registry());
    }

    /** Closes registries replaced by a swap; called by the loop between batches. */
    @Override
    public void closeRetired() {
        for (ModelRegistry r = retired.poll(); r != null; r = retired.poll()) {
            r.close();
        }
    }

    @Override
    public void close() {
        closeRetired();
        current.get().registry().close();
    }
}
