package io.xasstream.loadtests.records;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The records the load tools stream: copies of one spectrum file as a beamline's {@link Spectrum} or as an XFEL pulse
 * train ({@link SpectrumBatch} of float32 rows), each copy with independent detector noise.
 */
public final class BenchSpectra {
    /**
     * Relative detector noise put on every streamed copy of the file: identical copies would compress ~4:1 and flatter
     * Kafka compression (measured spectra: ~1.16:1, see KafkaClients).
     */
    public static final double NOISE = 1e-3;

    private final SpectrumFile file;
    private final List<Double> energy;

    public BenchSpectra(SpectrumFile file) {
        this.file = file;
        this.energy = Arrays.stream(file.energy()).boxed().toList();
    }

    public String element() {
        return file.element().orElseThrow();
    }

    /** The file as a sample's Spectrum record (raw channels when the file has them), without noise. */
    public Spectrum template(String sample) {
        return SpectrumRecords.fromFile(file, new SpectrumRecords.Context("x", "bench", "bench", "bench", sample, null,
                null, null, Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), Map.of()));
    }

    /** A copy of the template with its own id, acquisition time and noise. */
    public static Spectrum single(Spectrum template, String id, Instant acquiredAt, Random rnd) {
        Spectrum s = noisy(template, rnd);
        s.setSpectrumId(id);
        s.setAcquiredAt(acquiredAt);
        return s;
    }

    /** A copy of the template with independent multiplicative noise on mu or on each raw channel. */
    public static Spectrum noisy(Spectrum template, Random rnd) {
        Spectrum s = Spectrum.newBuilder(template).build();
        if (s.getMu() != null) {
            s.setMu(noisy(s.getMu(), rnd));
        }
        var c = s.getChannels();
        if (c != null) {
            c.setI0(noisy(c.getI0(), rnd));
            c.setItrans(noisy(c.getItrans(), rnd));
            c.setIfluor(noisy(c.getIfluor(), rnd));
            c.setIrefer(noisy(c.getIrefer(), rnd));
        }
        return s;
    }

    /** A pulse train: one float32 row of the file's mu (with noise) per id, all acquired at {@code acquiredAt}. */
    public SpectrumBatch train(String sample, long trainId, List<String> ids, Instant acquiredAt, Random rnd) {
        List<byte[]> rows = new ArrayList<>(ids.size());
        for (int r = 0; r < ids.size(); r++) {
            rows.add(row(rnd));
        }
        return train(sample, trainId, ids, acquiredAt, rows);
    }

    /** One float32 little-endian row of the file's mu with independent noise, as a SpectrumBatch carries it. */
    public byte[] row(Random rnd) {
        double[] mu = file.mu();
        ByteBuffer m = ByteBuffer.allocate(mu.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : mu) {
            m.putFloat((float) (v * (1 + NOISE * rnd.nextGaussian())));
        }
        return m.array();
    }

    /** A pulse train of the given rows (see {@link #row}), one per id, all acquired at {@code acquiredAt}. */
    public SpectrumBatch train(String sample, long trainId, List<String> ids, Instant acquiredAt, List<byte[]> rows) {
        ByteBuffer m = ByteBuffer.allocate(rows.stream().mapToInt(r -> r.length).sum());
        rows.forEach(m::put);
        m.flip();
        return SpectrumBatch.newBuilder().setBatchId(sample + "-train-" + trainId)
                .setSource(SourceIds.newBuilder().setFacility("x").setBeamline("bench").setExperimentId("bench")
                        .setSampleId(sample).build())
                .setTrainId(trainId).setElement(element()).setEdge(AbsorptionEdge.K)
                .setMode(MeasurementMode.TRANSMISSION).setEnergy(new ExplicitEnergyAxis(energy))
                .setCount(ids.size()).setSpectrumIds(new ArrayList<>(ids))
                .setAcquiredAt(new ArrayList<>(Collections.nCopies(ids.size(), acquiredAt))).setMu(m).build();
    }

    private static List<Double> noisy(List<Double> values, Random rnd) {
        if (values == null) {
            return null;
        }
        List<Double> out = new ArrayList<>(values.size());
        for (double v : values) {
            out.add(v * (1 + NOISE * rnd.nextGaussian()));
        }
        return out;
    }
}
