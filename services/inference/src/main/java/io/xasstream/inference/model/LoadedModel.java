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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One model: its manifest entry, its preprocessing spec and its ONNX session (created, I/O-checked and warmed at
 * load). {@link #run} is thread-safe (ONNX Runtime sessions are).
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelManifest.Entry entry;
    private final PreprocessingSpec spec;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String device;
    private final int inputSize;

    LoadedModel(ModelManifest.Entry entry, OrtEnvironment env, OrtSession session, String device) throws OrtException {
        this.entry = entry;
        this.spec = ManifestSpecs.spec(entry);
        this.env = env;
        this.session = session;
        this.device = device;
        this.inputSize = entry.input().grid().count();
        checkIo();
    }

    private void checkIo() throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        if (!inputs.containsKey(entry.input().name()) || inputs.size() != 1) {
            throw new IllegalStateException(entry.ref() + ": the ONNX graph's inputs " + inputs.keySet()
                    + " do not match the manifest's '" + entry.input().name() + "'");
        }
        long[] shape = ((TensorInfo) inputs.get(entry.input().name()).getInfo()).getShape();
        if (shape.length != 2 || shape[1] != inputSize) {
            throw new IllegalStateException(entry.ref() + ": input shape " + java.util.Arrays.toString(shape)
                    + " does not match the grid of " + inputSize + " points");
        }
        Set<String> outputs = session.getOutputNames();
        for (String name : entry.outputs().values()) {
            if (!outputs.contains(name)) {
                throw new IllegalStateException(entry.ref() + ": the ONNX graph has no output '" + name
                        + "' named in the manifest (it has " + outputs + ")");
            }
        }
    }

    /** Runs the model on a batch of input vectors; returns each manifest output as [batch][width]. */
    public Map<String, float[][]> run(float[][] batch) throws OrtException {
        int n = batch.length;
        FloatBuffer buffer = FloatBuffer.allocate(n * inputSize);
        for (float[] row : batch) {
            if (row.length != inputSize) {
                throw new IllegalArgumentException("input of " + row.length + " values, model takes " + inputSize);
            }
            buffer.put(row);
        }
        buffer.flip();
        Map<String, float[][]> out = new LinkedHashMap<>();
        try (OnnxTensor input = OnnxTensor.createTensor(env, buffer, new long[] {n, inputSize});
             OrtSession.Result result = session.run(Map.of(entry.input().name(), input))) {
            for (Map.Entry<String, String> o : entry.outputs().entrySet()) {
                OnnxValue value = result.get(o.getValue()).orElseThrow();
                out.put(o.getKey(), toMatrix((OnnxTensor) value, n));
            }
        }
        return out;
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

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
