package io.xasstream.inference.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where ONNX Runtime runs the models: cpu, cuda, or auto (CUDA when its libraries load, else CPU with one warning). */
public enum ExecutionProvider {
    CPU, CUDA, AUTO;

    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProvider.class);

    /**
     * Adds this provider to the session options.
     *
     * @return the device actually used ("cpu" or "cuda:N")
     * @throws OrtException when CUDA was required explicitly and cannot be loaded
     */
    public String configure(OrtSession.SessionOptions options, int deviceId) throws OrtException {
        if (this == CPU) {
            return "cpu";
        }
        try {
            // The GPU jar lists CUDA as available even on machines without CUDA libraries; only addCUDA tells.
            options.addCUDA(deviceId);
            return "cuda:" + deviceId;
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            if (this == CUDA) {
                throw new OrtException("CUDA execution provider requested but not loadable: " + e.getMessage());
            }
            LOG.warn("CUDA execution provider not available ({}); running the models on CPU. Build with -Pgpu "
                    + "on a machine with CUDA 12 and cuDNN 9 to use the GPU.", e.getMessage());
            return "cpu";
        }
    }
}
