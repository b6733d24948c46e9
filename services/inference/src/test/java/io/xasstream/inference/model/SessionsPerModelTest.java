package io.xasstream.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.common.config.ExecutionDevice;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A batch split across several sessions of a model gives every row the answer one session gives it. */
class SessionsPerModelTest {
    private static final Path MANIFEST = Path.of(System.getProperty("xasstream.repo.root", "../.."),
            "models/manifest.json");

    @Test
    void aBatchSplitAcrossThreeSessionsEqualsTheOneSessionAnswerRowByRow() throws Exception {
        try (ModelRegistry one = ModelRegistry.load(MANIFEST, new SessionSettings(ExecutionDevice.CPU, 1, 1));
             ModelRegistry three = ModelRegistry.load(MANIFEST, new SessionSettings(ExecutionDevice.CPU, 1, 3))) {
            for (String id : new String[] {"fe-k-pdf", "fe-k-cn"}) {
                LoadedModel single = one.byId(id).orElseThrow();
                LoadedModel split = three.byId(id).orElseThrow();
                assertThat(split.sessions()).isEqualTo(3);

                // Given 101 distinct inputs (not a multiple of three: the parts differ in size)
                float[][] batch = inputs(101, single.inputSize(), 7);

                // When both run them
                Map<String, float[][]> expected = single.run(batch);
                Map<String, float[][]> actual = split.run(batch);

                // Then every output row is the same row's answer (a shuffled or dropped part would not be)
                assertThat(actual.keySet()).isEqualTo(expected.keySet());
                for (String output : expected.keySet()) {
                    assertThat(actual.get(output)).hasNumberOfRows(101);
                    for (int r = 0; r < 101; r++) {
                        float[] e = expected.get(output)[r];
                        float[] a = actual.get(output)[r];
                        assertThat(a).hasSameSizeAs(e);
                        for (int k = 0; k < e.length; k++) {
                            assertThat(a[k]).as("%s %s row %d [%d]", id, output, r, k)
                                    .isCloseTo(e[k], Offset.offset(1e-5f * (1 + Math.abs(e[k]))));
                        }
                    }
                }
            }
        }
    }

    @Test
    void smallBatchesStayOnOneSessionAndPartsCoverEveryRowOnce() {
        assertThat(LoadedModel.bound(101, 3, 0)).isZero();
        assertThat(LoadedModel.bound(101, 3, 3)).isEqualTo(101);
        int covered = 0;
        for (int i = 0; i < 3; i++) {
            int size = LoadedModel.bound(101, 3, i + 1) - LoadedModel.bound(101, 3, i);
            assertThat(size).isBetween(33, 34);
            covered += size;
        }
        assertThat(covered).isEqualTo(101);
    }

    @Test
    void settingsRefuseNoSessions() {
        assertThatThrownBy(() -> new SessionSettings(ExecutionDevice.CPU, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessions per model");
    }

    private static float[][] inputs(int n, int width, long seed) {
        Random rnd = new Random(seed);
        float[][] x = new float[n][width];
        for (int i = 0; i < n; i++) {
            // a normalised-looking edge: 0 below, ~1 above, at a row-specific position, with noise
            double edge = width * (0.2 + 0.3 * rnd.nextDouble());
            for (int k = 0; k < width; k++) {
                x[i][k] = (float) (1 / (1 + Math.exp(-(k - edge) / 3.0)) + 0.05 * rnd.nextGaussian());
            }
        }
        return x;
    }
}
