package io.xasstream.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest's outputs are checked at load against what each task needs and what the service knows. */
class ModelOutputTest {

    private static ModelManifest.Entry entry(String id, String task, Map<String, String> outputs) {
        return new ModelManifest.Entry(id, "1.0.0", "Fe", "K", task, id + ".onnx", "0", null, outputs, List.of(),
                null, null, Map.of(), Map.of(), null, null, null, null, null);
    }

    @Test
    void aModelMissingAnOutputItsTaskNeedsIsNamed() {
        var pdf = entry("p", "pdf", Map.of("pdf_mean", "mean"));
        var cn = entry("c", "coordination_number", Map.of("probabilities", "p", "probability_std", "s"));

        assertThat(new ModelManifest(1, List.of(cn)).outputProblems()).isEmpty();
        assertThat(new ModelManifest(1, List.of(pdf, cn)).outputProblems())
                .isEqualTo("p (pdf) declares no 'pdf_std' output");
    }

    @Test
    void anOutputTheServiceDoesNotKnowIsRefused() {
        var cn = entry("c", "coordination_number", Map.of("probabilities", "p", "probability_std", "s",
                "probabilty_std", "typo"));

        assertThat(new ModelManifest(1, List.of(cn)).outputProblems()).startsWith("c: unknown model output "
                + "'probabilty_std'");
    }

    @Test
    void theServedManifestDeclaresWhatEveryTaskNeeds() throws Exception {
        assertThat(ModelManifest.read(Path.of("").toAbsolutePath().getParent().getParent().resolve("models/manifest.json")).outputProblems())
                .isEmpty();
    }
}
