package io.xasstream.inference;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.Setting;
import io.xasstream.common.config.SettingsGroup;
import java.util.List;

/** The settings of the inference service (models, ONNX Runtime, the loop), registered as a {@link SettingsGroup}. */
public final class InferenceSettings implements SettingsGroup {
    public static final Setting<String> MODELS_MANIFEST = Setting.string("models.manifest", "models/manifest.json",
            "Model manifest; a relative path is resolved against XASSTREAM_HOME (set by ./xasstream), else the "
                    + "working directory.");
    public static final Setting<String> SHADOW_MANIFEST = Setting.string("inference.shadow-manifest", "",
            "Manifest of a shadow model set run on the same spectra, its results to xas.results.shadow for comparison "
                    + "(./xasstream compare xas.results xas.results.shadow); empty: no shadow.");
    public static final Setting<ExecutionDevice> EXECUTION_PROVIDER = Setting.oneOf("inference.execution-provider",
            ExecutionDevice.class, ExecutionDevice.AUTO, "ONNX Runtime execution provider: cpu, cuda, or auto "
                    + "(CUDA when it loads, else CPU with one warning).");
    public static final Setting<Integer> INTRA_OP_THREADS = Setting.integer("inference.intra-op-threads", 0, 0, 256,
            "ONNX Runtime threads per model session; 0 lets ONNX Runtime choose.");
    public static final Setting<Integer> SESSIONS_PER_MODEL = Setting.integer("inference.sessions-per-model", 1, 1,
            64, "ONNX Runtime sessions of each model on its device: a batch of at least 32 spectra per session is "
                    + "split across them and run concurrently (on CPU, e.g. 2 sessions x 1 intra-op thread on 2 cores); "
                    + "each session holds its own copy of the weights.");
    public static final Setting<String> GROUP_ID = Setting.string("inference.group-id",
            "xasstream-inference", "Consumer group of the live inference service (replays use their own).");
    public static final Setting<String> TRANSACTIONAL_ID = Setting.string("inference.transactional-id",
            "xasstream-inference-1", "Transactional id of this inference instance: unique per instance, stable "
                    + "across its restarts (a restarted instance fences its zombie).");
    public static final Setting<Integer> MAX_BATCH = Setting.integer("inference.max-batch", 256, 1, 100_000,
            "Most spectra in one ONNX run per model (and records per poll): a batch grows up to this while the "
                    + "previous one is inferred; a full batch that must wait pauses the partitions.");
    public static final Setting<Integer> MAX_WAIT_MS = Setting.integer("inference.max-wait-ms", 5, 0, 60_000,
            "Longest an idle poll waits for records; a spectrum never waits for a batch to fill, it goes to "
                    + "inference as soon as the inference stage is free.");

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(MODELS_MANIFEST, SHADOW_MANIFEST, EXECUTION_PROVIDER, INTRA_OP_THREADS, SESSIONS_PER_MODEL,
                GROUP_ID, TRANSACTIONAL_ID, MAX_BATCH, MAX_WAIT_MS);
    }
}
