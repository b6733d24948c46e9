package io.xasstream.inference.predict;

import ai.onnxruntime.OrtException;
import io.xasstream.common.records.ModelTasks;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.AbsorptionEdges;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.core.preprocess.PreprocessingSpec;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.TrustRule;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.Timings;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spectra → InferenceResults: each spectrum is preprocessed as each of its models' manifests say, then every model
 * runs once on the whole batch, and the outputs are assembled with uncertainties and provenance; where two models
 * serve one task, {@link Routing} picks the one that answers for each spectrum.
 */
public final class Predictor {
    /** Grid ids by grid: formatted once per grid, not once per result. */
    private static final Map<io.xasstream.core.preprocess.EnergyGrid, String> GRID_IDS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** Told the ONNX Runtime time of every model run (for latency metrics). */
    @FunctionalInterface
    public interface RunListener {
        void ran(LoadedModel model, int batchSize, long nanos);
    }

    private final ModelRegistry registry;
    private final Clock clock;
    private final RunListener listener;

    public Predictor(ModelRegistry registry, Clock clock) {
        this(registry, clock, (model, batch, nanos) -> { });
    }

    public Predictor(ModelRegistry registry, Clock clock, RunListener listener) {
        this.registry = registry;
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
        private final List<SpectrumInput> inputs = new ArrayList<>();
        private final List<Outcome> refusals = new ArrayList<>();
        private final List<Map<LoadedModel, PreprocessedSpectrum>> byModel = new ArrayList<>();
        private final List<List<String>> skipped = new ArrayList<>();
        private final Map<LoadedModel, List<Integer>> rows = new LinkedHashMap<>();

        private Prepared(Predictor predictor) {
            this.predictor = predictor;
        }

        /** Validates and preprocesses one more input for each of its models; a refusal becomes its outcome. */
        public void add(SpectrumInput in) {
            int i = inputs.size();
            inputs.add(in);
            List<String> notAnswered = new ArrayList<>(0);
            try {
                Map<LoadedModel, PreprocessedSpectrum> m = predictor.prepare(in, notAnswered);
                byModel.add(m);
                skipped.add(notAnswered);
                refusals.add(null);
                for (LoadedModel model : m.keySet()) {
                    rows.computeIfAbsent(model, k -> new ArrayList<>()).add(i);
                }
            } catch (SpectrumRejectedException e) {
                byModel.add(null);
                skipped.add(List.of());
                refusals.add(Outcome.rejected(in, e));
            }
        }

        /** The predictor (model set) this batch is prepared for. */
        public Predictor predictor() {
            return predictor;
        }

        public List<SpectrumInput> inputs() {
            return List.copyOf(inputs);
        }

        public int size() {
            return inputs.size();
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
     * for ONNX and assembles and encodes results on another.
     */
    public static final class Inferred {
        private final Prepared prepared;
        private final Outcome[] outcomes;
        private final Map<LoadedModel, Map<String, float[][]>> outputs;
        private final Instant inferredAt;

        private Inferred(Prepared prepared, Outcome[] outcomes, Map<LoadedModel, Map<String, float[][]>> outputs,
                         Instant inferredAt) {
            this.prepared = prepared;
            this.outcomes = outcomes;
            this.outputs = outputs;
            this.inferredAt = inferredAt;
        }

        public int size() {
            return outcomes.length;
        }
    }

    /** One ONNX Runtime run per model over a prepared batch; a failed run refuses only that model's rows. */
    public Inferred run(Prepared p) {
        if (p.predictor != this) {
            throw new IllegalArgumentException("batch prepared for another model set");
        }
        List<SpectrumInput> inputs = p.inputs;
        Outcome[] outcomes = p.refusals.toArray(new Outcome[0]);
        Map<LoadedModel, Map<String, float[][]>> outputs = new HashMap<>();
        for (Map.Entry<LoadedModel, List<Integer>> b : p.rows.entrySet()) {
            LoadedModel model = b.getKey();
            List<Integer> rows = b.getValue();
            float[][] batch = new float[rows.size()][];
            // A graph that reads the edge position gets it for the spectra a reference channel calibrated.
            float[][] edgeRows = model.takesEdgeShift() ? new float[rows.size()][] : null;
            for (int r = 0; r < rows.size(); r++) {
                PreprocessedSpectrum ps = p.byModel.get(rows.get(r)).get(model);
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
                    if (outcomes[row] == null) {
                        outcomes[row] = Outcome.rejected(inputs.get(row), new SpectrumRejectedException(
                                ReasonCode.INFERENCE_FAILED, model.entry().ref() + ": " + e.getMessage(), e));
                    }
                }
            }
        }
        return new Inferred(p, outcomes, outputs, clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /** The results (or refusals) of an inferred batch: one outcome per input, in input order. */
    public List<Outcome> results(Inferred inferred) {
        Prepared p = inferred.prepared;
        Outcome[] outcomes = inferred.outcomes.clone();
        Map<LoadedModel, Map<Integer, Map<String, float[]>>> perRow = new HashMap<>();
        inferred.outputs.forEach((model, out) -> {
            List<Integer> rows = p.rows.get(model);
            Map<Integer, Map<String, float[]>> byInput = new HashMap<>();
            for (int r = 0; r < rows.size(); r++) {
                Map<String, float[]> row = new HashMap<>();
                for (Map.Entry<String, float[][]> o : out.entrySet()) {
                    row.put(o.getKey(), o.getValue()[r]);
                }
                byInput.put(rows.get(r), row);
            }
            perRow.put(model, byInput);
        });
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = Outcome.ok(p.inputs.get(i), assemble(p.inputs.get(i), p.byModel.get(i), perRow, i,
                        inferred.inferredAt, p.skipped.get(i)));
            }
        }
        return List.of(outcomes);
    }

    private Map<LoadedModel, PreprocessedSpectrum> prepare(SpectrumInput in, List<String> skipped)
            throws SpectrumRejectedException {
        if (in.element() == null || AbsorptionEdges.atomicNumber(in.element()).isEmpty()) {
            throw new SpectrumRejectedException(ReasonCode.UNKNOWN_ELEMENT, "'" + in.element()
                    + "' is not a chemical element");
        }
        Edge edge;
        try {
            edge = Edge.parse(in.edge());
        } catch (IllegalArgumentException e) {
            throw new SpectrumRejectedException(ReasonCode.NO_MODEL, "no model for the " + in.edge() + " edge");
        }
        List<LoadedModel> models = registry.forEdge(in.element(), edge.name());
        if (models.isEmpty()) {
            throw new SpectrumRejectedException(ReasonCode.NO_MODEL, "no model serves " + in.element() + " "
                    + edge + " (models: " + registry.models().stream().map(m -> m.entry().element() + " "
                    + m.entry().edge() + " " + m.entry().task()).distinct().toList() + ")");
        }
        double[] energy = in.energy();
        if (in.energyShift() != null && in.energyShift() != 0.0) {
            energy = energy.clone();
            for (int k = 0; k < energy.length; k++) {
                energy[k] += in.energyShift();
            }
        }
        Map<ModelManifest.Input, Object> byInput = new HashMap<>();
        Map<LoadedModel, PreprocessedSpectrum> out = new LinkedHashMap<>();
        Map<String, SpectrumRejectedException> refusedByTask = new LinkedHashMap<>();
        SpectrumRejectedException first = null;
        for (LoadedModel m : models) {
            Object p = byInput.get(m.entry().input());
            if (p == null) {
                PreprocessingSpec spec = m.spec();
                if (in.e0() != null) {
                    NormalizationParams np = spec.normalization().withE0(in.e0());
                    spec = spec.withNormalization(np);
                }
                try {
                    p = Preprocessor.preprocess(energy, in.mu(), in.referenceMu(), in.element(), edge, spec);
                } catch (SpectrumRejectedException e) {
                    p = e;
                }
                byInput.put(m.entry().input(), p);
            }
            if (p instanceof PreprocessedSpectrum ok) {
                out.put(m, ok);
            } else {
                // One model's input contract (its grid, say) not met: the others still answer, and the result
                // says which task is missing and why; only a spectrum no model can take is refused.
                SpectrumRejectedException e = (SpectrumRejectedException) p;
                first = first == null ? e : first;
                refusedByTask.putIfAbsent(m.entry().task(), e);
            }
        }
        if (out.isEmpty()) {
            throw first;
        }
        // A narrower-window model is not run where the model it stands in for took the spectrum.
        out.keySet().retainAll(Routing.withoutStandIns(out.keySet(), LoadedModel::entry));
        // A task is missing only when none of its models could take the spectrum.
        refusedByTask.forEach((task, e) -> {
            if (out.keySet().stream().noneMatch(m -> m.entry().task().equals(task))) {
                skipped.add("SKIPPED_" + task.toUpperCase(Locale.ROOT) + "_" + e.reason().name());
            }
        });
        return out;
    }

    private InferenceResult assemble(SpectrumInput in, Map<LoadedModel, PreprocessedSpectrum> prepared,
                                     Map<LoadedModel, Map<Integer, Map<String, float[]>>> outputs, int row,
                                     Instant now, List<String> skipped) {
        InferenceResult.Builder b = InferenceResult.newBuilder()
                .setSpectrumId(in.spectrumId()).setKey(in.key()).setSource(in.source()).setXfel(in.xfel())
                .setElement(in.element()).setEdge(edge(in.edge()))
                .setConditions(in.conditions() == null ? Map.of() : new LinkedHashMap<>(in.conditions()))
                .setTimings(Timings.newBuilder().setAcquiredAt(in.acquiredAt()).setReceivedAt(in.receivedAt())
                        .setInferredAt(now).build());
        List<ModelRef> refs = new ArrayList<>();
        List<String> flags = new ArrayList<>(skipped);
        OodEstimate ood = null;
        Map<String, OodEstimate> oodByTask = new LinkedHashMap<>();
        PreprocessedSpectrum provenance = null;
        boolean edgePositionRead = false;
        List<Routing.Candidate<LoadedModel>> bids = new ArrayList<>(prepared.size());
        for (LoadedModel m : prepared.keySet()) {
            float[] score = outputs.get(m).get(row).get("ood_score");
            bids.add(new Routing.Candidate<>(m, m.entry(), score == null ? Double.NaN : score[0]));
        }
        for (LoadedModel model : Routing.answering(bids).values()) {
            ModelManifest.Entry entry = model.entry();
            Map<String, float[]> o = outputs.get(model).get(row);
            refs.add(ModelRef.newBuilder().setTask(entry.task()).setId(entry.id()).setVersion(entry.version())
                    .setSha256(entry.sha256()).build());
            if (provenance == null || ModelTasks.PDF.equals(entry.task())) {
                provenance = prepared.get(model);
            }
            boolean scored = o.containsKey("ood_score") && entry.ood() != null;
            double score = scored ? o.get("ood_score")[0] : Double.NaN;
            boolean flagged = scored && score > entry.ood().threshold();
            TrustRule trust = entry.trust();
            switch (entry.task()) {
                case ModelTasks.PDF -> {
                    b.setPdf(Estimates.pdf(entry.curve().r(), o.get("pdf_mean"), o.get("pdf_std"),
                            Verdicts.ofPdf(trust, o.get("pdf_mean"), o.get("pdf_std"), flagged)));
                    if (o.containsKey("distance_mean")) {
                        b.setFirstShellDistance(Estimates.scalar(o.get("distance_mean")[0],
                                o.get("distance_std")[0], unit(entry, "distance", "angstrom"),
                                Verdicts.ofDistance(trust, o.get("distance_std")[0], flagged)));
                    }
                }
                case ModelTasks.CN -> b.setCoordinationNumber(Estimates.classes(entry.classes(), o.get("probabilities"),
                        o.get("probability_std"), Verdicts.ofClasses(trust, entry.classes(), o.get("probabilities"),
                                flagged)));
                case ModelTasks.OXIDATION -> b.setOxidationState(Estimates.classes(entry.classes(),
                        o.get("probabilities"), o.get("probability_std"), Verdicts.ofClasses(trust, entry.classes(),
                                o.get("probabilities"), flagged)));
                default -> flags.add("UNKNOWN_TASK_" + entry.task().toUpperCase(Locale.ROOT));
            }
            edgePositionRead |= model.takesEdgeShift() && EdgeShiftRows.known(prepared.get(model));
            if (scored) {
                oodByTask.put(entry.task(), OodEstimate.newBuilder().setScore(score)
                        .setThreshold(entry.ood().threshold()).setFlagged(flagged).build());
                if (ood == null || flagged && !ood.getFlagged() || score / entry.ood().threshold()
                        > ood.getScore() / ood.getThreshold()) {
                    ood = OodEstimate.newBuilder().setScore(score).setThreshold(entry.ood().threshold())
                            .setFlagged(flagged || ood != null && ood.getFlagged()).build();
                }
            }
        }
        if (ood == null) {
            // No OOD score for this edge: say so rather than claim the spectrum is in distribution.
            flags.add("NO_OOD_SCORE");
            ood = OodEstimate.newBuilder().setScore(Double.NaN).setThreshold(Double.NaN).setFlagged(false).build();
        } else if (ood.getFlagged()) {
            flags.add("OUT_OF_DISTRIBUTION");
        }
        if (provenance.calibratedByReference()) {
            flags.add("CALIBRATED_BY_REFERENCE");
            if (edgePositionRead) {
                flags.add("EDGE_POSITION_USED");
            }
        }
        b.setModels(refs).setOod(ood).setOodByTask(oodByTask).setQualityFlags(flags)
                .setPreprocessing(preprocessing(provenance, in));
        return b.build();
    }

    private static Preprocessing preprocessing(PreprocessedSpectrum p, SpectrumInput in) {
        NormalizationParams u = p.normalization().resolved();
        Map<String, Double> params = new LinkedHashMap<>();
        params.put("pre1", u.pre1());
        params.put("pre2", u.pre2());
        params.put("norm1", u.norm1());
        params.put("norm2", u.norm2());
        params.put("nnorm", u.nnorm().doubleValue());
        params.put("nvict", (double) u.nvict());
        params.put("tabulatedEdgeEv", p.tabulatedEdge());
        String method = p.normalization().e0Source() == NormalizationResult.E0Source.FIXED ? "fixed"
                : p.calibratedByReference() ? "reference" : "derivative";
        double shift = p.energyShift() + (in.energyShift() == null ? 0.0 : in.energyShift());
        return Preprocessing.newBuilder()
                .setE0Ev(p.normalization().e0()).setE0Method(method).setEnergyShiftEv(shift)
                .setEdgeStep(p.normalization().edgeStep()).setParameters(params)
                .setGridId(p.spec().grid() == null ? "" : gridId(p))
                .setAlgorithm("larch-0.9.58 pre_edge (xasstream core), signal " + p.spec().signal().name()
                        .toLowerCase(Locale.ROOT))
                .build();
    }

    private static String gridId(PreprocessedSpectrum p) {
        return GRID_IDS.computeIfAbsent(p.spec().grid(), Predictor::formatGridId);
    }

    private static String formatGridId(io.xasstream.core.preprocess.EnergyGrid g) {
        return String.format(Locale.ROOT, "%s:%g:%g:%d", g.reference() == io.xasstream.core.preprocess.EnergyGrid
                .Reference.RELATIVE_TO_E0 ? "e0" : "abs", g.point(0), g.point(g.size() - 1), g.size());
    }

    private static String unit(ModelManifest.Entry e, String key, String fallback) {
        return e.units() != null && e.units().containsKey(key) ? e.units().get(key) : fallback;
    }

    private static AbsorptionEdge edge(String edge) {
        try {
            return AbsorptionEdge.valueOf(edge.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            return AbsorptionEdge.UNKNOWN;
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
