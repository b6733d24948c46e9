package io.xasstream.inference.loop;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.Timings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A model set without models: "answers" every spectrum its filter accepts with a result naming this set's version,
 * refuses the others with NO_MODEL; its runs can be held back (a slow model) and it can be swapped.
 */
final class FakeModels implements ModelSource {
    private final AtomicReference<Version> current;
    /** Runs allowed to start; unlimited unless a test holds the model back. */
    final Semaphore runs = new Semaphore(Integer.MAX_VALUE);
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger retiredClosed = new AtomicInteger();
    private final List<Version> retired = new ArrayList<>();

    FakeModels(String version, Predicate<SpectrumInput> answers) {
        current = new AtomicReference<>(new Version(version, answers));
    }

    FakeModels(String version) {
        this(version, in -> true);
    }

    @Override
    public ModelSet modelSet() {
        return current.get();
    }

    synchronized void swap(String version) {
        retired.add(current.getAndSet(new Version(version, current.get().answers)));
    }

    @Override
    public synchronized void closeRetired() {
        retiredClosed.addAndGet(retired.size());
        retired.clear();
    }

    /** One version of the fake model set. */
    final class Version implements ModelSet {
        final String version;
        final Predicate<SpectrumInput> answers;

        Version(String version, Predicate<SpectrumInput> answers) {
            this.version = version;
            this.answers = answers;
        }

        @Override
        public Preparation newBatch() {
            return new Batch(this);
        }

        @Override
        public Inference run(Preparation batch) {
            if (batch.modelSet() != this) {
                throw new IllegalArgumentException("batch prepared for another model set");
            }
            started.incrementAndGet();
            runs.acquireUninterruptibly();
            return new Ran(batch.inputs(), version);
        }

        @Override
        public List<Outcome> results(Inference inference) {
            Ran ran = (Ran) inference;
            List<Outcome> out = new ArrayList<>();
            for (SpectrumInput in : ran.inputs()) {
                out.add(answers.test(in) ? Outcome.ok(in, result(in, ran.version()))
                        : Outcome.rejected(in, new SpectrumRejectedException(ReasonCode.NO_MODEL, "fake: no model")));
            }
            return out;
        }
    }

    private record Batch(Version set, List<SpectrumInput> list) implements ModelSet.Preparation {
        Batch(Version set) {
            this(set, new ArrayList<>());
        }

        @Override
        public void add(SpectrumInput input) {
            list.add(input);
        }

        @Override
        public int size() {
            return list.size();
        }

        @Override
        public List<SpectrumInput> inputs() {
            return List.copyOf(list);
        }

        @Override
        public ModelSet modelSet() {
            return set;
        }
    }

    private record Ran(List<SpectrumInput> inputs, String version) implements ModelSet.Inference {
    }

    /** A spectrum to answer (its data do not matter to a fake). */
    static SpectrumInput input(String id) {
        return new SpectrumInput(id, "e/s", SourceIds.newBuilder().setExperimentId("e").setSampleId("s").build(),
                null, Instant.EPOCH, Instant.EPOCH, "Fe", "K", new double[0], new double[0], null, null, null,
                Map.of());
    }

    static InferenceResult result(SpectrumInput in, String version) {
        return InferenceResult.newBuilder().setSpectrumId(in.spectrumId()).setKey(in.key()).setSource(in.source())
                .setElement(in.element()).setEdge(AbsorptionEdge.K)
                .setModels(List.of(ModelRef.newBuilder().setTask("cn").setId("fake").setVersion(version)
                        .setSha256("0".repeat(64)).build()))
                .setPreprocessing(Preprocessing.newBuilder().setE0Ev(7112).setE0Method("fixed").setEdgeStep(1)
                        .setGridId("fake").build())
                .setOod(OodEstimate.newBuilder().setScore(0).setThreshold(1).setFlagged(false).build())
                .setTimings(Timings.newBuilder().setAcquiredAt(in.acquiredAt()).setReceivedAt(in.receivedAt())
                        .setInferredAt(in.receivedAt()).build())
                .build();
    }
}
