package io.xasstream.inference.predict;

import ai.onnxruntime.OrtException;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Spectra → InferenceResults in three steps the inference loop runs on different threads: {@link #newBatch prepare}
 * (each spectrum checked and preprocessed as each of its models' manifests say: a {@link Row}), {@link #run run}
 * (every model once over the whole batch in ONNX Runtime) and {@link #results results} (each spectrum's answers
 * assembled with uncertainties, verdicts and provenance by {@link ResultAssembler}).
 */
public final class Predictor {
    /** Told the ONNX Runtime time of every model run (for latency metrics). */
    @FunctionalInterface
    public interface RunListener {
        void ran(LoadedModel model, int batchSize, long nanos);
    }

    private final SpectrumPreparation preparation;
    private final Clock clock;
    private final RunListener listener;

    public Predictor(ModelRegistry registry, Clock clock) {
        this(registry, clock, (model, batch, nanos) -> { });
    }

    public Predictor(ModelRegistry registry, Clock clock, RunListener listener) {
        this.preparation = new SpectrumPreparation(registry);
        this.clock = clock;
        this.listener = listener;
    }

    /** One outcome per input, in input order; a failure of one input never affects another. */
    public List<Outcome> predict(List<SpectrumInput> inputs) {
        return infer(prepare(inputs));
    }

    /**
     * A batch being preprocessed for this predictor's models, not yet inferred: the inference loop adds spectra on
     * its consumer thread while the previous batch runs through ONNX Runtime.
     */
    public static final class Prepared {
        private final Predictor predictor;
        private final List<Row> rows = new ArrayList<>();
        /** Per model, the batch rows it reads, in order: its ONNX batch. */
        private final Map<LoadedModel, List<Integer>> modelRows = new LinkedHashMap<>();

        private Prepared(Predictor predictor) {
            this.predictor = predictor;
        }

        /** Validates and preprocesses one more input for each of its models; a refusal becomes its outcome. */
        public void add(SpectrumInput in) {
            Row row = predictor.preparation.row(in);
            for (LoadedModel model : row.byModel().keySet()) {
                modelRows.computeIfAbsent(model, k -> new ArrayList<>()).add(rows.size());
            }
            rows.add(row);
        }

        /** The predictor (model set) this batch is prepared for. */
        public Predictor predictor() {
            return predictor;
        }

        public List<SpectrumInput> inputs() {
            return rows.stream().map(Row::input).toList();
        }

        public int size() {
            return rows.size();
        }
    }

    /** An empty batch to {@link Prepared#add add} spectra to. */
    public Prepared newBatch() {
        return new Prepared(this);
    }

    /** Validates and preprocesses every input for each of its models; refusals become rejected outcomes. */
    public Prepared prepare(List<SpectrumInput> inputs) {
        Prepared p = newBatch();
        inputs.forEach(p::add);
        return p;
    }

    /** One ONNX Runtime run per model over a prepared batch, then the results; one outcome per input, in order. */
    public List<Outcome> infer(Prepared p) {
        return results(run(p));
    }

    /**
     * The ONNX outputs of a prepared batch, not yet turned into results: the inference loop keeps its ONNX thread
     * for ONNX and assembles and encodes results on another. {@code failed}: per row, the refusal of a model run
     * that failed on it (null: none).
     */
    public static final class Inferred {
        private final Prepared prepared;
        private final Outcome[] failed;
        private final Map<LoadedModel, Map<String, float[][]>> outputs;
        private final Instant inferredAt;

        private Inferred(Prepared prepared, Outcome[] failed, Map<LoadedModel, Map<String, float[][]>> outputs,
                         Instant inferredAt) {
            this.prepared = prepared;
            this.failed = failed;
            this.outputs = outputs;
            this.inferredAt = inferredAt;
        }

        public int size() {
            return failed.length;
        }

        /** Row {@code i}'s answer from each of its models: the slice of each model's batch outputs. */
        private Map<LoadedModel, ModelAnswer> answers(int i) {
            Map<LoadedModel, ModelAnswer> out = new HashMap<>();
            for (LoadedModel model : prepared.rows.get(i).byModel().keySet()) {
                // a model's rows are in batch order, so its position of row i is a binary search away
                int r = Collections.binarySearch(prepared.modelRows.get(model), i);
                Map<String, float[]> values = new HashMap<>();
                outputs.get(model).forEach((name, batch) -> values.put(name, batch[r]));
                out.put(model, new ModelAnswer(values));
            }
            return out;
        }
    }

    /** One ONNX Runtime run per model over a prepared batch; a failed run refuses only that model's rows. */
    public Inferred run(Prepared p) {
        if (p.predictor != this) {
            throw new IllegalArgumentException("batch prepared for another model set");
        }
        Outcome[] failed = new Outcome[p.rows.size()];
        Map<LoadedModel, Map<String, float[][]>> outputs = new HashMap<>();
        for (Map.Entry<LoadedModel, List<Integer>> b : p.modelRows.entrySet()) {
            LoadedModel model = b.getKey();
            List<Integer> rows = b.getValue();
            float[][] batch = new float[rows.size()][];
            // A graph that reads the edge position gets it for the spectra a reference channel calibrated.
            float[][] edgeRows = model.takesEdgeShift() ? new float[rows.size()][] : null;
            for (int r = 0; r < rows.size(); r++) {
                var ps = p.rows.get(rows.get(r)).byModel().get(model);
                batch[r] = toFloats(ps.modelInput());
                if (edgeRows != null) {
                    edgeRows[r] = EdgeShiftRows.of(ps);
                }
            }
            try {
                long start = System.nanoTime();
                outputs.put(model, model.run(batch, edgeRows));
                listener.ran(model, batch.length, System.nanoTime() - start);
            } catch (OrtException | RuntimeException e) {
                for (int row : rows) {
                    if (failed[row] == null) {
                        failed[row] = Outcome.rejected(p.rows.get(row).input(), new SpectrumRejectedException(
                                ReasonCode.INFERENCE_FAILED, model.entry().ref() + ": " + e.getMessage(), e));
                    }
                }
            }
        }
        return new Inferred(p, failed, outputs, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** The results (or refusals) of an inferred batch: one outcome per input, in input order. */
    public List<Outcome> results(Inferred inferred) {
        List<Row> rows = inferred.prepared.rows;
        List<Outcome> outcomes = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (row.isRefused()) {
                outcomes.add(row.refusal());
            } else if (inferred.failed[i] != null) {
                outcomes.add(inferred.failed[i]);
            } else {
                outcomes.add(Outcome.ok(row.input(), ResultAssembler.assemble(row, inferred.answers(i),
                        inferred.inferredAt)));
            }
        }
        return List.copyOf(outcomes);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
