package io.xasstream.inference.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.xasstream.core.preprocess.PreprocessingSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One model: its manifest entry, its preprocessing spec and its ONNX sessions (created, I/O-checked and warmed at
 * load). {@link #run} is thread-safe (ONNX Runtime sessions are); with several sessions a large batch is split
 * across them and run concurrently. A graph whose manifest entry declares an {@code edgeShift} input takes it as a
 * second tensor (zeros, "no reference channel", when the caller gives none).
 */
public final class LoadedModel implements AutoCloseable {
    /** Fewer rows per session than this are not worth a hand-over to another thread. */
    static final int MIN_ROWS_PER_SESSION = 32;

    private final ModelManifest.Entry entry;
    private final PreprocessingSpec spec;
    private final OrtEnvironment env;
    private final List<OrtSession> sessions;
    private final ExecutorService runners;
    private final String device;
    private final int inputSize;
    private final ModelManifest.EdgeShift edgeShift;

    /**
     * @param runners runs the other parts of a split batch; may be null with one session
     * @throws OrtException or IllegalStateException when the graph does not match the manifest (the sessions are
     *                      closed then)
     */
    LoadedModel(ModelManifest.Entry entry, OrtEnvironment env, List<OrtSession> sessions, ExecutorService runners,
                String device) throws OrtException {
        if (sessions.isEmpty() || (sessions.size() > 1 && runners == null)) {
            throw new IllegalArgumentException("one session at least, and runners for more than one");
        }
        this.entry = entry;
        this.env = env;
        this.sessions = List.copyOf(sessions);
        this.runners = runners;
        this.device = device;
        this.inputSize = entry.input().grid().count();
        this.edgeShift = entry.edgeShift();
        try {
            this.spec = ManifestSpecs.spec(entry);
            for (OrtSession session : this.sessions) {
                checkIo(session);
            }
        } catch (OrtException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void checkIo(OrtSession session) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Set<String> declared = edgeShift == null ? Set.of(entry.input().name())
                : Set.of(entry.input().name(), edgeShift.name());
        if (!inputs.keySet().equals(declared)) {
            throw new IllegalStateException(entry.ref() + ": the ONNX graph's inputs " + inputs.keySet()
                    + " do not match the manifest's " + declared);
        }
        long[] shape = ((TensorInfo) inputs.get(entry.input().name()).getInfo()).getShape();
        if (shape.length != 2 || shape[1] != inputSize) {
            throw new IllegalStateException(entry.ref() + ": input shape " + Arrays.toString(shape)
                    + " does not match the grid of " + inputSize + " points");
        }
        if (edgeShift != null) {
            long[] es = ((TensorInfo) inputs.get(edgeShift.name()).getInfo()).getShape();
            if (es.length != 2 || es[1] != edgeShift.width()) {
                throw new IllegalStateException(entry.ref() + ": input '" + edgeShift.name() + "' has shape "
                        + Arrays.toString(es) + ", the manifest says [batch, " + edgeShift.width() + "]");
            }
        }
        Set<String> outputs = session.getOutputNames();
        for (String name : entry.outputs().values()) {
            if (!outputs.contains(name)) {
                throw new IllegalStateException(entry.ref() + ": the ONNX graph has no output '" + name
                        + "' named in the manifest (it has " + outputs + ")");
            }
        }
    }

    /** One run of every session, so that the first real batch does not pay for allocation and planning. */
    void warmUp() throws OrtException {
        float[][] one = new float[1][inputSize];
        for (OrtSession session : sessions) {
            runOn(session, one, null, 0, 1);
        }
    }

    /** The number of ONNX Runtime sessions of this model. */
    public int sessions() {
        return sessions.size();
    }

    /** Runs the model on a batch of input vectors; returns each manifest output as [batch][width]. */
    public Map<String, float[][]> run(float[][] batch) throws OrtException {
        return run(batch, null);
    }

    /**
     * As {@link #run(float[][])}, with the edge-shift rows (one per input row) of a model that {@link #takesEdgeShift
     * takes them}; null: none known (zeros).
     *
     * @throws IllegalArgumentException rows of the wrong size, or edge-shift rows for a model without that input
     */
    public Map<String, float[][]> run(float[][] batch, float[][] edgeRows) throws OrtException {
        for (float[] row : batch) {
            if (row.length != inputSize) {
                throw new IllegalArgumentException("input of " + row.length + " values, model takes " + inputSize);
            }
        }
        if (edgeRows != null) {
            if (edgeShift == null) {
                throw new IllegalArgumentException(entry.ref() + " has no edge-shift input");
            }
            if (edgeRows.length != batch.length) {
                throw new IllegalArgumentException(edgeRows.length + " edge-shift rows for " + batch.length
                        + " inputs");
            }
            for (float[] row : edgeRows) {
                if (row.length != edgeShift.width()) {
                    throw new IllegalArgumentException("edge-shift row of " + row.length + " values, model takes "
                            + edgeShift.width());
                }
            }
        }
        int parts = Math.min(sessions.size(), batch.length / MIN_ROWS_PER_SESSION);
        if (parts <= 1) {
            return runOn(sessions.get(0), batch, edgeRows, 0, batch.length);
        }
        // Part 0 on this thread, the others on the runners; rows keep their order when the parts are joined.
        List<Future<Map<String, float[][]>>> others = new ArrayList<>();
        for (int i = 1; i < parts; i++) {
            OrtSession session = sessions.get(i);
            int from = bound(batch.length, parts, i);
            int to = bound(batch.length, parts, i + 1);
            others.add(runners.submit(() -> runOn(session, batch, edgeRows, from, to)));
        }
        List<Map<String, float[][]>> results = new ArrayList<>();
        try {
            results.add(runOn(sessions.get(0), batch, edgeRows, 0, bound(batch.length, parts, 1)));
            for (Future<Map<String, float[][]>> f : others) {
                results.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(entry.ref() + ": interrupted while running", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OrtException ort) {
                throw ort;
            }
            throw new IllegalStateException(entry.ref() + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            others.forEach(f -> f.cancel(false)); // no-op for finished parts; a failed run leaves none running
        }
        Map<String, float[][]> joined = new LinkedHashMap<>();
        for (String name : results.get(0).keySet()) {
            float[][] all = new float[batch.length][];
            int at = 0;
            for (Map<String, float[][]> part : results) {
                float[][] rows = part.get(name);
                System.arraycopy(rows, 0, all, at, rows.length);
                at += rows.length;
            }
            joined.put(name, all);
        }
        return joined;
    }

    /** First row of part {@code i} of {@code n} rows split into {@code parts} near-equal parts. */
    static int bound(int n, int parts, int i) {
        return (int) ((long) n * i / parts);
    }

    private Map<String, float[][]> runOn(OrtSession session, float[][] batch, float[][] edgeRows, int from, int to)
            throws OrtException {
        int n = to - from;
        Map<String, float[][]> out = new LinkedHashMap<>();
        try (OnnxTensor input = OnnxTensor.createTensor(env, rows(batch, from, to, inputSize),
                new long[] {n, inputSize});
             OnnxTensor edge = edgeShift == null ? null : OnnxTensor.createTensor(env,
                     edgeRows == null ? FloatBuffer.allocate(n * edgeShift.width())
                             : rows(edgeRows, from, to, edgeShift.width()), new long[] {n, edgeShift.width()});
             OrtSession.Result result = session.run(edge == null ? Map.of(entry.input().name(), input)
                     : Map.of(entry.input().name(), input, edgeShift.name(), edge))) {
            for (Map.Entry<String, String> o : entry.outputs().entrySet()) {
                OnnxValue value = result.get(o.getValue()).orElseThrow();
                out.put(o.getKey(), toMatrix((OnnxTensor) value, n));
            }
        }
        return out;
    }

    private static FloatBuffer rows(float[][] m, int from, int to, int width) {
        FloatBuffer buffer = FloatBuffer.allocate((to - from) * width);
        for (int i = from; i < to; i++) {
            buffer.put(m[i]);
        }
        return buffer.flip();
    }

    private static float[][] toMatrix(OnnxTensor tensor, int n) {
        FloatBuffer fb = tensor.getFloatBuffer();
        int width = n == 0 ? 0 : fb.remaining() / n;
        float[][] m = new float[n][width];
        for (int i = 0; i < n; i++) {
            fb.get(m[i]);
        }
        return m;
    }

    public ModelManifest.Entry entry() {
        return entry;
    }

    public PreprocessingSpec spec() {
        return spec;
    }

    /** "cpu" or "cuda:N". */
    public String device() {
        return device;
    }

    public int inputSize() {
        return inputSize;
    }

    /** Whether the graph takes the edge position of reference-calibrated spectra as a second input. */
    public boolean takesEdgeShift() {
        return edgeShift != null;
    }

    @Override
    public void close() throws OrtException {
        OrtException first = null;
        for (OrtSession session : sessions) {
            try {
                session.close();
            } catch (OrtException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
