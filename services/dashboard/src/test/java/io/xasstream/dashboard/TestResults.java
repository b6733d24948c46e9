package io.xasstream.dashboard;

import io.xasstream.common.serde.AvroTrust;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.PdfEstimate;
import io.xasstream.schema.result.Preprocessing;
import io.xasstream.schema.result.ScalarEstimate;
import io.xasstream.schema.result.Timings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Results of a given shape for the dashboard's tests: spectrum id "sample-000042", acquisition 1 s apart. */
public final class TestResults {
    public static final Instant START = Instant.parse("2026-05-20T14:03:11Z");

    static {
        AvroTrust.install(); // builders fill defaults of our own record types
    }

    private TestResults() {
    }

    public static String id(String sample, long index) {
        return String.format("%s-%06d", sample, index);
    }

    public static InferenceResult result(String experiment, String sample, long index, boolean ood) {
        Instant acquired = START.plusSeconds(index);
        List<Float> r = new ArrayList<>();
        List<Float> g = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            r.add(1.5f + i * 0.125f);
            g.add((float) Math.exp(-Math.pow(1.5 + i * 0.125 - 2.0, 2) / 0.02));
        }
        ClassEstimate ox = ClassEstimate.newBuilder().setClasses(List.of("0", "1", "2"))
                .setProbabilities(List.of(0.1f, 0.2f, 0.7f)).setProbabilityStd(List.of(0.01f, 0.02f, 0.03f))
                .setPredicted("2").setExpectedValue(1.6).setStd(0.2).build();
        return InferenceResult.newBuilder()
                .setSpectrumId(id(sample, index)).setKey(RecordKeys.of(experiment, sample))
                .setSource(SourceIds.newBuilder().setFacility("test").setBeamline("b").setExperimentId(experiment)
                        .setSampleId(sample).setScanId(null).build())
                .setElement("Cu").setEdge(AbsorptionEdge.K)
                .setModels(List.of(ModelRef.newBuilder().setTask("oxidation_state").setId("cu-k-ox").setVersion("1")
                        .setSha256("0".repeat(64)).build()))
                .setPreprocessing(Preprocessing.newBuilder().setE0Ev(8979).setE0Method("derivative").setEdgeStep(1.0)
                        .setGridId("g").setParameters(Map.of("pre1", -150.0)).build())
                .setPdf(PdfEstimate.newBuilder().setR(r).setMean(g).setStd(g).build())
                .setFirstShellDistance(ScalarEstimate.newBuilder().setMean(1.96).setStd(0.02).setUnit("Å").build())
                .setOxidationState(ox).setCoordinationNumber(ox)
                .setOod(OodEstimate.newBuilder().setScore(ood ? 3 : 1).setThreshold(2).setFlagged(ood).build())
                .setOodByTask(Map.of("oxidation_state", OodEstimate.newBuilder().setScore(ood ? 3 : 1)
                        .setThreshold(2).setFlagged(ood).build()))
                .setConditions(Map.of("temperature", new ConditionValue(25.0 + index, "C")))
                .setTimings(Timings.newBuilder().setAcquiredAt(acquired).setReceivedAt(acquired)
                        .setInferredAt(acquired).build())
                .build();
    }
}
