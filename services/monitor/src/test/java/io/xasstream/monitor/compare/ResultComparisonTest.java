package io.xasstream.monitor.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.serde.AvroTrust;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.Timings;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultComparisonTest {
    static {
        AvroTrust.install(); // builders fill defaults of our own record types
    }

    private static InferenceResult result(String sample, String id, String ox, String cn, float pdfOffset,
                                          List<Float> r) {
        return InferenceResult.newBuilder()
                .setSpectrumId(id).setKey("exp/" + sample)
                .setSource(SourceIds.newBuilder().setExperimentId("exp").setSampleId(sample).build())
                .setElement("Cu").setEdge(AbsorptionEdge.K).setModels(List.of())
                .setPreprocessing(Preprocessing.newBuilder().setE0Ev(8979).setE0Method("derivative").setEdgeStep(1)
                        .setGridId("g").build())
                .setOxidationState(cls(ox)).setCoordinationNumber(cls(cn))
                .setPdf(PdfEstimate.newBuilder().setR(r).setMean(List.of(1f + pdfOffset, 2f + pdfOffset,
                        3f + pdfOffset)).setStd(List.of(0.1f, 0.1f, 0.1f)).build())
                .setOod(OodEstimate.newBuilder().setScore(0).setThreshold(1).setFlagged(false).build())
                .setTimings(Timings.newBuilder().setAcquiredAt(Instant.EPOCH).setReceivedAt(Instant.EPOCH)
                        .setInferredAt(Instant.EPOCH).build())
                .build();
    }

    private static ClassEstimate cls(String predicted) {
        double v = Double.parseDouble(predicted);
        return ClassEstimate.newBuilder().setClasses(List.of(predicted)).setProbabilities(List.of(1f))
                .setPredicted(predicted).setExpectedValue(v).setStd(0).build();
    }

    @Test
    void changedClassesAndPdfDifferencesAreReportedPerSampleBySpectrum() {
        List<Float> grid = List.of(1f, 2f, 3f);
        ResultComparison c = new ResultComparison("xas.results", "xas.results.v2");
        c.addA(result("s1", "sp-1", "+2", "4", 0, grid));
        c.addA(result("s1", "sp-2", "+2", "4", 0, grid));
        c.addA(result("s1", "sp-3", "+2", "4", 0, grid));
        c.addA(result("s2", "sp-9", "+1", "2", 0, grid));
        c.addB(result("s1", "sp-1", "+2", "4", 0.5f, grid));
        c.addB(result("s1", "sp-2", "+1", "4", 0.5f, grid));
        c.addB(result("s1", "sp-3", "+1", "2", 0.5f, grid));
        c.addB(result("s1", "sp-4", "+1", "2", 0, grid)); // only in B
        // s2 only in A; its spectrum in B on a shifted grid is compared by interpolation
        c.addB(result("s2", "sp-9", "+1", "2", 0, List.of(0.5f, 1.5f, 2.5f)));

        List<SampleDifference> d = c.differences();
        assertThat(d).extracting(SampleDifference::key).containsExactly("exp/s1", "exp/s2");
        SampleDifference s1 = d.get(0);
        assertThat(s1.matched()).isEqualTo(3);
        assertThat(s1.onlyInA()).isZero();
        assertThat(s1.onlyInB()).isEqualTo(1);
        assertThat(s1.oxidationChanged()).containsExactly("sp-2", "sp-3");
        assertThat(s1.cnChanged()).containsExactly("sp-3");
        assertThat(s1.meanAbsPdfDelta()).isCloseTo(0.5, within(1e-6));
        assertThat(s1.meanAbsOxidationDelta()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(s1.meanAbsCnDelta()).isCloseTo(2.0 / 3, within(1e-9));
        SampleDifference s2 = d.get(1);
        // B's curve 1,2,3 at r 0.5,1.5,2.5 is 1.5, 2.5 at r 1, 2 (r 3 is outside B's grid): |Δ| = 0.5
        assertThat(s2.meanAbsPdfDelta()).isCloseTo(0.5, within(1e-6));
        assertThat(s2.oxidationChanged()).isEmpty();

        var json = c.toJson();
        assertThat(json.get("topicB").asText()).isEqualTo("xas.results.v2");
        assertThat(json.get("samples").get(0).get("oxidationStateChangedSpectra").toString())
                .isEqualTo("[\"sp-2\",\"sp-3\"]");
        assertThat(json.get("samples").get(0).get("meanAbsDeltaFirstShellDistance").isNull()).isTrue();
        assertThat(c.toTable()).contains("exp/s1").contains("0.5000");
    }

    @Test
    void topicNamesAreResolvedThroughTheRegistry() {
        Topics topics = new Topics(XasConfig.defaults());
        assertThat(ResultTopics.resolve(topics, "xas.results")).isSameAs(topics.results);
        assertThat(ResultTopics.resolve(topics, "xas.results.shadow")).isSameAs(topics.resultsShadow);
        assertThat(ResultTopics.resolve(topics, "xas.results.fe-k-v2").name()).isEqualTo("xas.results.fe-k-v2");
        assertThatThrownBy(() -> ResultTopics.resolve(topics, "xas.alerts"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a results topic");
        assertThatThrownBy(() -> ResultTopics.resolve(topics, "xas.results.bad/name"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
