package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.inference.model.ModelManifest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fallback stands aside for the model it stands in for; then per task the candidate with the smallest OOD score
 * relative to its own threshold answers.
 */
class RoutingTest {

    private static ModelManifest.Entry entry(String id, String task, Double threshold) {
        return entry(id, task, threshold, null);
    }

    private static ModelManifest.Entry entry(String id, String task, Double threshold, String fallbackFor) {
        return new ModelManifest.Entry(id, "1.0.0", "Fe", "K", task, id + ".onnx", "0", null, Map.of(), List.of(),
                null, threshold == null ? null : new ModelManifest.Ood(threshold, "test"), Map.of(), Map.of(), null,
                null, null, fallbackFor, null);
    }

    @Test
    void aFallbackStandsAsideWhereTheModelItStandsInForTookTheSpectrum() {
        // Given the wide-window CN model, its xanes-window fallback and a model of another family for the same task
        var wide = entry("m3d-fe-k-cn-wide", "coordination_number", 1.0);
        var xanes = entry("m3d-fe-k-cn", "coordination_number", 1.0, "m3d-fe-k-cn-wide");
        var complexes = entry("fe-k-cn", "coordination_number", 1.0);

        // When all three took a spectrum that covers the wide window, the fallback is dropped, the others stay
        assertThat(Routing.withoutStandIns(List.of(xanes, wide, complexes), e -> e))
                .containsExactly(wide, complexes);
        // When the spectrum ends too early for the wide window, the fallback answers in its place
        assertThat(Routing.withoutStandIns(List.of(xanes, complexes), e -> e)).containsExactly(xanes, complexes);
    }

    @Test
    void aManifestFallbackMustNameAModelOfTheSameElementEdgeAndTask() {
        var wide = entry("m3d-fe-k-cn-wide", "coordination_number", 1.0);
        var good = entry("m3d-fe-k-cn", "coordination_number", 1.0, "m3d-fe-k-cn-wide");
        var dangling = entry("m3d-fe-k-pdf", "pdf", 1.0, "m3d-fe-k-pdf-wide");
        var otherTask = entry("m3d-fe-k-ox", "oxidation_state", 1.0, "m3d-fe-k-cn-wide");

        assertThat(new ModelManifest(1, List.of(wide, good)).fallbackProblems()).isEmpty();
        assertThat(new ModelManifest(1, List.of(wide, good, dangling)).fallbackProblems())
                .contains("m3d-fe-k-pdf is the fallback for m3d-fe-k-pdf-wide, which the manifest does not hold");
        assertThat(new ModelManifest(1, List.of(wide, otherTask)).fallbackProblems())
                .contains("m3d-fe-k-ox (Fe K oxidation_state) is the fallback for m3d-fe-k-cn-wide");
    }

    @Test
    void theModelThatFindsTheSpectrumMoreTypicalOfItsOwnTrainingAnswers() {
        // Given a complex-trained CN model that scores the spectrum at 2x its threshold and an oxide-trained one at
        // 0.5x, with thresholds on different scales (the raw scores alone would pick the wrong one)
        var complexes = new Routing.Candidate<>("fe-k-cn", entry("fe-k-cn", "coordination_number", 2.0), 4.0);
        var oxides = new Routing.Candidate<>("m3d-fe-k-cn", entry("m3d-fe-k-cn", "coordination_number", 10.0), 5.0);

        // When routed, in either order
        Map<String, String> a = Routing.answering(List.of(complexes, oxides));
        Map<String, String> b = Routing.answering(List.of(oxides, complexes));

        // Then the oxide model answers
        assertThat(a).containsExactly(Map.entry("coordination_number", "m3d-fe-k-cn"));
        assertThat(b).isEqualTo(a);
    }

    @Test
    void eachTaskIsRoutedOnItsOwnAndSingleCandidatesAlwaysAnswer() {
        var pdfA = new Routing.Candidate<>("fe-k-pdf", entry("fe-k-pdf", "pdf", 2.0), 1.0);
        var pdfB = new Routing.Candidate<>("m3d-fe-k-pdf", entry("m3d-fe-k-pdf", "pdf", 2.0), 3.0);
        var ox = new Routing.Candidate<>("m3d-fe-k-ox", entry("m3d-fe-k-ox", "oxidation_state", 2.0), 9.0);

        Map<String, String> r = Routing.answering(List.of(pdfA, ox, pdfB));

        // the flagged oxidation-state model still answers: it is the only one, and its flag travels with the result
        assertThat(r).containsExactly(Map.entry("pdf", "fe-k-pdf"), Map.entry("oxidation_state", "m3d-fe-k-ox"));
    }

    @Test
    void aModelWithoutAnOodScoreAnswersOnlyWhereNoCandidateHasOne() {
        var blind = new Routing.Candidate<>("old-cn", entry("old-cn", "coordination_number", null), Double.NaN);
        var scored = new Routing.Candidate<>("new-cn", entry("new-cn", "coordination_number", 1.0), 50.0);
        var blind2 = new Routing.Candidate<>("old-cn-2", entry("old-cn-2", "coordination_number", null), Double.NaN);

        assertThat(Routing.answering(List.of(blind, scored))).containsEntry("coordination_number", "new-cn");
        // none has a score: manifest order decides
        assertThat(Routing.answering(List.of(blind, blind2))).containsEntry("coordination_number", "old-cn");
    }
}
