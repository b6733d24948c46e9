package io.xasstream.ingest.karabo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.Fixtures;
import io.xasstream.ingest.IngestITSupport;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.msgpack.MsgpackWriter;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.ingest.profile.ProfileLoader;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ingest karabo --once} against an in-test bridge framing trains as karabo-bridge-py does: spectrometer mode
 * gives one SpectrumBatch per train with its train and pulse ids; scan mode bins a monochromator scan of a
 * simulated spectrum into one Spectrum whose mu is the fixture's.
 */
class KaraboIngestIT {
    private static final String SPEC = "SA3_EXP_SPEC/CAM/SPECTROMETER:output";
    private static final String XGM = "SA3_XTD10_XGM/XGM/DOOCS:output";
    private static final String MONO = "SA3_EXP_MONO/MDL/PHOTON_ENERGY";
    private static final String DET = "SA3_EXP_DET/ADC/1:output";
    private static final String SCAN = "SA3_EXP_DAQ/MDL/SCAN";

    private static XasConfig config;
    private static Topics topics;

    @BeforeAll
    static void broker() {
        config = IngestITSupport.configure(IngestITSupport.broker());
        topics = new Topics(config);
    }

    private static NdArray uint16(int rows, int cols, int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putShort((short) v);
        }
        return new NdArray("uint16", new int[] {rows, cols}, b.array());
    }

    private static NdArray float32(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        return new NdArray("float32", new int[] {values.length}, b.array());
    }

    private static NdArray float64(double[] values) {
        return new NdArray("float64", new int[] {values.length}, MsgpackWriter.littleEndian(values));
    }

    @Test
    void spectrometerModePublishesOneBatchPerTrainWithTrainAndPulseIds() throws Exception {
        int pulses = 8;
        int pixels = 64;
        Random random = new Random(7);
        Map<Long, int[]> counts = new LinkedHashMap<>();
        Map<Long, double[]> xgm = new LinkedHashMap<>();
        try (KaraboBridgeSimulator bridge = new KaraboBridgeSimulator()) {
            for (long tid = 1_000_000_100L; tid < 1_000_000_105L; tid++) {
                int[] c = new int[pulses * pixels];
                for (int i = 0; i < c.length; i++) {
                    c[i] = 1000 + random.nextInt(30_000);
                }
                double[] x = new double[1000]; // the XGM's fixed-length record: pulses first, then zeros
                for (int p = 0; p < pulses; p++) {
                    x[p] = 500 + random.nextInt(100);
                }
                counts.put(tid, c);
                xgm.put(tid, x);
                double[] pulseIds = new double[pulses];
                for (int p = 0; p < pulses; p++) {
                    pulseIds[p] = 4 * p;
                }
                bridge.train(tid, 1.7e9 + tid % 1000 / 10.0, Map.of(
                        SPEC, new KaraboBridgeSimulator.Source(Map.of("data.frameCount", (long) pulses),
                                Map.of("data.spectra", uint16(pulses, pixels, c),
                                        "data.pulseIds", new NdArray("uint64", new int[] {pulses},
                                                longs(pulseIds)))),
                        XGM, new KaraboBridgeSimulator.Source(Map.of("data.pulseCount", (long) pulses),
                                Map.of("data.intensityTD", float32(x)))));
                if (tid == 1_000_000_102L) {
                    bridge.garbage("not a train".getBytes(StandardCharsets.UTF_8));
                }
            }
            Profile profile = ProfileLoader.fromYaml("karabo: {experiment: p900123, sample: fe-solution, "
                    + "element: Fe, calibration: [7100.0, 0.5]}");
            IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry(), "karabo");
            run(bridge, profile, metrics);
        }

        List<SpectrumBatch> batches = IngestITSupport.readAll(config, topics.spectra).stream()
                .filter(SpectrumBatch.class::isInstance).map(SpectrumBatch.class::cast).toList();
        assertThat(batches).extracting(SpectrumBatch::getTrainId).containsExactlyElementsOf(counts.keySet());
        for (SpectrumBatch b : batches) {
            assertThat(b.getCount()).isEqualTo(pulses);
            assertThat(b.getPulseIds()).containsExactly(0, 4, 8, 12, 16, 20, 24, 28);
            assertThat(b.getSpectrumIds().get(1)).isEqualTo("p900123-" + b.getTrainId() + "-4");
            assertThat(b.getSource().getExperimentId()).isEqualTo("p900123");
            RegularEnergyAxis axis = (RegularEnergyAxis) b.getEnergy();
            assertThat(axis.getStartEv()).isEqualTo(7100.0);
            assertThat(axis.getStepEv()).isEqualTo(0.5);
            assertThat(axis.getCount()).isEqualTo(pixels);
            float[] it = floats(b.getItrans());
            float[] i0 = floats(b.getI0());
            int[] c = counts.get(b.getTrainId());
            for (int k = 0; k < c.length; k++) {
                assertThat(it[k]).isEqualTo((float) c[k]);
                assertThat(i0[k]).isEqualTo((float) xgm.get(b.getTrainId())[k / pixels]);
            }
        }
        assertThat(IngestITSupport.readAll(config, topics.rejected)).filteredOn(r -> r.getService()
                .equals("ingest-karabo")).extracting(RejectedSpectrum::getReasonCode).contains("UNDECODABLE_DOCUMENT");
    }

    @Test
    void scanModeBinsAMonochromatorScanIntoOneSpectrumMatchingTheFixture() throws Exception {
        SpectrumFile sf = Fixtures.demo("ni-cycling", 1).get(0);
        Fixtures.Channels c = Fixtures.channels(sf);
        Random random = new Random(11);
        int pulses = 4;
        long trains;
        try (KaraboBridgeSimulator bridge = new KaraboBridgeSimulator()) {
            long tid = 2_000_000_000L;
            for (int k = 0; k < c.energy().length; k++) {
                double mu = Math.log(c.i0()[k] / c.it()[k]);
                // two trains at the first energy (a train repeated while the mono settles), one at the others
                for (int repeat = 0; repeat < (k == 0 ? 2 : 1); repeat++) {
                    double[] x = new double[pulses];
                    double[] det = new double[pulses];
                    for (int p = 0; p < pulses; p++) {
                        x[p] = 800 + 400 * random.nextDouble();
                        det[p] = x[p] * Math.exp(-mu);
                    }
                    Map<String, KaraboBridgeSimulator.Source> sources = new LinkedHashMap<>();
                    sources.put(MONO, new KaraboBridgeSimulator.Source(Map.of("actualEnergy.value",
                            c.energy()[k] / 1000.0), Map.of()));
                    sources.put(XGM, new KaraboBridgeSimulator.Source(Map.of(), Map.of("data.intensityTD", float64(x))));
                    sources.put(DET, new KaraboBridgeSimulator.Source(Map.of(),
                            Map.of("data.intensityPerPulse", float64(det))));
                    sources.put(SCAN, new KaraboBridgeSimulator.Source(Map.of("scanId.value", 17L), Map.of()));
                    bridge.trainV1(tid++, 1.7e9 + k, sources);
                }
            }
            // the scan is over: the scan device no longer names one
            bridge.trainV1(tid, 1.7e9 + 1000, Map.of(MONO, new KaraboBridgeSimulator.Source(
                    Map.of("actualEnergy.value", 8.0), Map.of())));
            Profile profile = ProfileLoader.fromYaml("karabo: {mode: scan, experiment: p900124, sample: ni-foil, "
                    + "element: Ni, energy-unit: keV, bin-ev: 0.1}");
            trains = run(bridge, profile, new IngestMetrics(new SimpleMeterRegistry(), "karabo"));
        }

        List<Spectrum> spectra = IngestITSupport.readAll(config, topics.spectra).stream()
                .filter(Spectrum.class::isInstance).map(Spectrum.class::cast)
                .filter(s -> s.getSource().getExperimentId().equals("p900124")).toList();
        List<String> deadLetters = IngestITSupport.readAll(config, topics.rejected).stream()
                .filter(r -> r.getService().equals("ingest-karabo"))
                .map(r -> r.getReasonCode() + ": " + r.getMessage()).toList();
        assertThat(spectra).as("one spectrum of the scan (the adapter read %d trains; its dead letters: %s)", trains,
                deadLetters).hasSize(1);
        Spectrum s = spectra.get(0);
        assertThat(s.getSpectrumId()).isEqualTo("p900124-scan-17");
        assertThat(s.getSource().getScanId()).isEqualTo("17");
        assertThat(s.getElement()).isEqualTo("Ni");
        List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
        assertThat(e).hasSize(c.energy().length);
        for (int k = 0; k < e.size(); k++) {
            assertThat(e.get(k)).isCloseTo(c.energy()[k], within(1e-9));
            double mu = Math.log(s.getChannels().getI0().get(k) / s.getChannels().getItrans().get(k));
            assertThat(mu).isCloseTo(Math.log(c.i0()[k] / c.it()[k]), within(1e-12));
        }
    }

    /** Runs {@code ingest karabo --once} against the bridge until it stops by itself; returns the trains read. */
    private static long run(KaraboBridgeSimulator bridge, Profile profile, IngestMetrics metrics) throws Exception {
        // --once ends 2 s after the last train; the clock starts at the ZeroMQ handshake, so a cold JVM's slow
        // connect on a busy host does not count
        KaraboIngest.Options options = new KaraboIngest.Options(bridge.endpoint(), IngestSettings.KaraboSocket.REQ,
                2000, true, 0);
        try (KaraboIngest ingest = KaraboIngest.start(config, topics, profile.karabo(), metrics, options)) {
            assertThat(ingest.await(2, TimeUnit.MINUTES)).isTrue();
            return ingest.trains();
        }
    }

    private static byte[] longs(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putLong((long) v);
        }
        return b.array();
    }

    private static float[] floats(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }
}
