package io.xasstream.inference.model;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.XasConfig;
import io.xasstream.inference.InferenceSettings;

/**
 * How models are placed: the execution provider, ONNX Runtime threads per session, and sessions per model (a large
 * batch is split across them and run concurrently; a small one uses the first).
 *
 * @param intraOpThreads 0 lets ONNX Runtime choose
 * @param sessionsPerModel at least 1
 */
public record SessionSettings(ExecutionDevice device, int intraOpThreads, int sessionsPerModel) {

    public SessionSettings {
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0, not " + intraOpThreads);
        }
        if (sessionsPerModel < 1) {
            throw new IllegalArgumentException("sessions per model must be >= 1, not " + sessionsPerModel);
        }
    }

    /** One session per model. */
    public static SessionSettings of(ExecutionDevice device, int intraOpThreads) {
        return new SessionSettings(device, intraOpThreads, 1);
    }

    public static SessionSettings from(XasConfig cfg) {
        return new SessionSettings(cfg.get(InferenceSettings.EXECUTION_PROVIDER),
                cfg.get(InferenceSettings.INTRA_OP_THREADS), cfg.get(InferenceSettings.SESSIONS_PER_MODEL));
    }
}
