package io.xasstream.common.testdata;

import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small valid records for serde tests. */
public final class Records {
    private Records() {
    }

    public static Spectrum spectrum(String id) {
        List<Double> mu = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            mu.add(Math.atan(i - 25.0));
        }
        return Spectrum.newBuilder()
                .setSpectrumId(id)
                .setSource(SourceIds.newBuilder().setFacility("F").setBeamline("B").setExperimentId("exp")
                        .setSampleId("s1").build())
                .setAcquiredAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .setElement("Cu").setEdge(AbsorptionEdge.K).setMode(MeasurementMode.TRANSMISSION)
                .setEnergy(new RegularEnergyAxis(8950.0, 1.0, 50))
                .setMu(mu)
                .setConditions(Map.of("temperature", new ConditionValue(250.0, "C")))
                .build();
    }

    public static SpectrumBatch batch(String id, int count, int points) {
        ByteBuffer mu = ByteBuffer.allocate(count * points * 4).order(ByteOrder.LITTLE_ENDIAN);
        List<String> ids = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            ids.add(id + "-" + s);
            times.add(Instant.EPOCH.plusMillis(s));
            for (int p = 0; p < points; p++) {
                mu.putFloat((float) Math.atan(p - points / 2.0));
            }
        }
        mu.flip();
        return SpectrumBatch.newBuilder()
                .setBatchId(id)
                .setSource(SourceIds.newBuilder().setExperimentId("xfel").setSampleId("s").build())
                .setTrainId(42L)
                .setElement("Fe").setEdge(AbsorptionEdge.K)
                .setEnergy(new RegularEnergyAxis(7100.0, 0.5, points))
                .setCount(count).setSpectrumIds(ids).setAcquiredAt(times)
                .setMu(mu)
                .build();
    }
}
