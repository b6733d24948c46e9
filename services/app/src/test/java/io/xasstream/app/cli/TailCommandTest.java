package io.xasstream.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.json.RecordJson;
import io.xasstream.common.serde.AvroTrust;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.ScalarEstimate;
import io.xasstream.schema.result.Timings;
import io.xasstream.schema.result.Verdict;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailCommandTest {
    static {
        AvroTrust.install(); // builders fill defaults of our own record types
    }

    private static InferenceResult result(Verdict ox, Verdict distance) {
        return InferenceResult.newBuilder()
                .setSpectrumId("sp-1").setKey("exp/s")
                .setSource(SourceIds.newBuilder().setExperimentId("exp").setSampleId("s").build())
                .setElement("Cu").setEdge(AbsorptionEdge.K).setModels(List.of())
                .setPreprocessing(Preprocessing.newBuilder().setE0Ev(8979).setE0Method("derivative").setEdgeStep(1)
                        .setGridId("g").build())
                .setOxidationState(ClassEstimate.newBuilder().setClasses(List.of("1", "2"))
                        .setProbabilities(List.of(0.1f, 0.9f)).setPredicted("2").setExpectedValue(1.9).setStd(0.3)
                        .setVerdict(ox).build())
                .setFirstShellDistance(ScalarEstimate.newBuilder().setMean(1.95).setStd(0.02).setUnit("angstrom")
                        .setVerdict(distance).build())
                .setOod(OodEstimate.newBuilder().setScore(0).setThreshold(1).setFlagged(false).build())
                .setTimings(Timings.newBuilder().setAcquiredAt(Instant.EPOCH).setReceivedAt(Instant.EPOCH)
                        .setInferredAt(Instant.EPOCH).build())
                .build();
    }

    @Test
    void eachAnswerIsPrintedWithItsVerdict() {
        String line = TailCommand.text(result(Verdict.TRUSTED, Verdict.UNCERTAIN));
        assertThat(line).contains("oxidation=2 (E=1.90±0.30) TRUSTED").contains("r1=1.950±0.020 Å UNCERTAIN");
    }

    @Test
    void aResultWithoutVerdictsPrintsNone() {
        assertThat(TailCommand.text(result(null, null))).doesNotContain("TRUSTED").doesNotContain("UNCERTAIN")
                .doesNotContain("null");
    }

    @Test
    void theJsonFormUsesTheSchemasFieldNames() {
        var json = RecordJson.toJson(result(Verdict.OUT_OF_DISTRIBUTION, null));
        assertThat(json.path("oxidationState").path("verdict").asText()).isEqualTo("OUT_OF_DISTRIBUTION");
        assertThat(json.path("firstShellDistance").path("verdict").isNull()).isTrue();
    }
}
