package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.TrustRule;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each task's row of the table: which estimate a model's outputs become, with which verdict. */
class TaskAnswersTest {

    private static ModelManifest.Entry entry(String task, List<String> classes, TrustRule trust) {
        return new ModelManifest.Entry("m", "1.0.0", "Fe", "K", task, "m.onnx", "0", null, Map.of(), classes,
                new ModelManifest.Curve(List.of(1.0, 2.0), 1, 6, "g2"), null, Map.of("distance", "angstrom"),
                Map.of(), null, null, null, null, trust);
    }

    @Test
    void anOxidationModelAnswersTheOxidationStateOnly() {
        var b = InferenceResult.newBuilder();
        var o = new ModelAnswer(Map.of("probabilities", new float[] {0.1f, 0.9f},
                "probability_std", new float[] {0.01f, 0.01f}));

        assertThat(TaskAnswers.write(b, entry("oxidation_state", List.of("2", "3"), null), o, false)).isTrue();

        assertThat(b.getOxidationState().getPredicted()).isEqualTo("3");
        assertThat(b.getOxidationState().getVerdict()).isNull();
        assertThat(b.hasCoordinationNumber()).isFalse();
    }

    @Test
    void aPdfModelAnswersTheCurveAndTheFirstShellDistanceWithVerdicts() {
        var b = InferenceResult.newBuilder();
        var o = new ModelAnswer(Map.of("pdf_mean", new float[] {1f, 2f}, "pdf_std", new float[] {0.1f, 0.1f},
                "distance_mean", new float[] {2.0f}, "distance_std", new float[] {0.02f}));
        TrustRule rule = new TrustRule(TrustRule.INTERVAL, null, null, 0.5, 0.05, "test");

        assertThat(TaskAnswers.write(b, entry("pdf", List.of(), rule), o, false)).isTrue();

        assertThat(b.getPdf().getMean()).containsExactly(1f, 2f);
        assertThat(b.getFirstShellDistance().getMean()).isCloseTo(2.0, offset(1e-6));
        assertThat(b.getFirstShellDistance().getVerdict()).isEqualTo(Verdict.TRUSTED);
        assertThat(b.getPdf().getVerdict()).isEqualTo(Verdict.TRUSTED);
    }

    @Test
    void anOutOfDistributionAnswerSaysSo() {
        var b = InferenceResult.newBuilder();
        var o = new ModelAnswer(Map.of("probabilities", new float[] {0.02f, 0.98f},
                "probability_std", new float[] {0.01f, 0.01f}));
        TrustRule rule = new TrustRule(TrustRule.CLASSES, 0.9, List.of(), null, null, "test");

        TaskAnswers.write(b, entry("coordination_number", List.of("4", "6"), rule), o, true);

        assertThat(b.getCoordinationNumber().getVerdict()).isEqualTo(Verdict.OUT_OF_DISTRIBUTION);
    }

    @Test
    void anUnknownTaskIsLeftToTheCallerToFlag() {
        var b = InferenceResult.newBuilder();

        assertThat(TaskAnswers.write(b, entry("spin_state", List.of(), null), new ModelAnswer(Map.of()), false))
                .isFalse();
    }
}
