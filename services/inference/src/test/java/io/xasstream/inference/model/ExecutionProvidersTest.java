package io.xasstream.inference.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.xasstream.common.config.ExecutionDevice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Provider choice on a runtime without CUDA (the default CPU jar, or the GPU jar where CUDA does not load). */
class ExecutionProvidersTest {
    @BeforeEach
    void cudaDoesNotLoadHere() {
        OrtEnvironment.getEnvironment();
        // The GPU jar lists CUDA even without CUDA libraries (then addCUDA fails and these tests still hold), but on
        // a machine where it really loads, "auto" rightly picks it: only the CPU jar guarantees the premise.
        assumeFalse(OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) && System.getenv(
                "CUDA_VISIBLE_DEVICES") != null, "CUDA may load on this machine");
    }

    @Test
    void cpuIsUsedWithoutTryingCuda() throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            assertEquals("cpu", ExecutionProviders.configure(ExecutionDevice.CPU, options, 0));
        }
    }

    @Test
    void autoFallsBackToCpuWhenCudaDoesNotLoad() throws OrtException {
        try (OrtSession.SessionOptions first = new OrtSession.SessionOptions();
             OrtSession.SessionOptions second = new OrtSession.SessionOptions()) {
            assertEquals("cpu", ExecutionProviders.configure(ExecutionDevice.AUTO, first, 0));
            assertEquals("cpu", ExecutionProviders.configure(ExecutionDevice.AUTO, second, 0));
        }
    }

    @Test
    void cudaRequestedExplicitlyFailsLoudlyInsteadOfFallingBack() throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            OrtException e = assertThrows(OrtException.class,
                    () -> ExecutionProviders.configure(ExecutionDevice.CUDA, options, 0));
            assertTrue(e.getMessage().startsWith("CUDA execution provider requested but not loadable"),
                    e.getMessage());
        }
    }
}
