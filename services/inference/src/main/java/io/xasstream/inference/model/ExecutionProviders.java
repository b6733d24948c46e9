package io.xasstream.inference.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xasstream.common.config.ExecutionDevice;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the configured execution provider to session options: cuda must load; auto falls back to CPU once, loudly. */
public final class ExecutionProviders {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutionProviders.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ExecutionProviders() {
    }

    /**
     * @return the device actually used ("cpu" or "cuda:N")
     * @throws OrtException when CUDA was required explicitly and cannot be loaded
     */
    public static String configure(ExecutionDevice device, OrtSession.SessionOptions options, int deviceId)
            throws OrtException {
        if (device == ExecutionDevice.CPU) {
            return "cpu";
        }
        try {
            // The GPU jar lists CUDA as available even without CUDA libraries; only addCUDA tells the truth.
            options.addCUDA(deviceId);
            return "cuda:" + deviceId;
        } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
            if (device == ExecutionDevice.CUDA) {
                throw new OrtException("CUDA execution provider requested but not loadable: " + e.getMessage());
            }
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("CUDA execution provider not available ({}); running the models on CPU. Build with -Pgpu "
                        + "on a machine with CUDA 12 and cuDNN 9 to use the GPU.", e.getMessage());
            }
            return "cpu";
        }
    }
}
