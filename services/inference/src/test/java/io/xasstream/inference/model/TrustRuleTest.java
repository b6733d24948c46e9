package io.xasstream.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustRuleTest {
    private static ModelManifest.Entry entry(List<String> classes, Map<String, String> outputs, TrustRule trust) {
        return new ModelManifest.Entry("m", "1.0.0", "Cu", "K", "oxidation_state", "m.onnx", "0", null, outputs,
                classes, null, null, Map.of(), Map.of(), null, null, null, null, trust);
    }

    @Test
    void aWellFormedClassRuleHasNoProblems() {
        TrustRule r = new TrustRule("classes", 0.8, List.of("1"), null, null, null);
        assertThat(r.problems(entry(List.of("0", "1", "2"), Map.of(), r))).isEmpty();
    }

    @Test
    void aClassRuleThatCannotBeAppliedAsWrittenIsRefused() {
        TrustRule r = new TrustRule("classes", 1.2, List.of("3"), null, null, null);
        assertThat(r.problems(entry(List.of("0", "1", "2"), Map.of(), r))).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("minProbability"))
                .anySatisfy(p -> assertThat(p).contains("contradicted class '3'"));
        assertThat(r.problems(entry(null, Map.of(), r))).singleElement().asString().contains("without classes");
    }

    @Test
    void anIntervalRuleNeedsALimitForEachRegressedOutput() {
        TrustRule r = new TrustRule("interval", null, null, 0.3, null, null);
        assertThat(r.problems(entry(null, Map.of("pdf_mean", "pdf_mean", "distance_mean", "d"), r)))
                .singleElement().asString().contains("maxDistanceStd");
        assertThat(r.problems(entry(null, Map.of("pdf_mean", "pdf_mean"), r))).isEmpty();
        assertThat(new TrustRule("guess", null, null, null, null, null)
                .problems(entry(null, Map.of(), null))).singleElement().asString().contains("unknown rule");
    }

    @Test
    void aManifestWithABrokenTrustRuleDoesNotLoad(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, """
                {"manifestVersion": 1, "models": [{"id": "m", "version": "1", "element": "Cu", "edge": "K",
                  "task": "oxidation_state", "classes": ["0", "1"],
                  "trust": {"rule": "classes", "minProbability": 0.8, "contradicted": ["2"]}}]}
                """);
        assertThatThrownBy(() -> ModelManifest.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("m trust: contradicted class '2'");
    }
}
