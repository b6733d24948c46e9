package io.xasstream.ingest.bluesky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.core.preprocess.MuFromChannels;
import io.xasstream.ingest.Fixtures;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.msgpack.MsgpackWriter;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Bluesky adapter's topology on the TopologyTestDriver: BMM-shaped runs rendered from the repository's
 * simulated operando spectra, in every layout a RunEngine publishes, plus bad input.
 */
class BlueskyTopologyTest {
    private static final String TOPIC = BlueskyDriver.TOPIC;

    private BlueskyDriver driver;
    private IngestMetrics metrics;
    private TestInputTopic<byte[], byte[]> in;
    private TestOutputTopic<String, SpecificRecord> spectra;
    private TestOutputTopic<String, RejectedSpectrum> rejected;

    @BeforeEach
    void start() throws Exception {
        driver(0);
    }

    private void driver(int liveEvery) throws Exception {
        if (driver != null) {
            driver.close();
        }
        driver = new BlueskyDriver(liveEvery, BlueskyDriver.defaultLimits());
        metrics = driver.metrics;
        in = driver.in;
        spectra = driver.spectra;
        rejected = driver.rejected;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static SpectrumFile fixture(int i) {
        return Fixtures.demo("fe-reduction", i + 1).get(i);
    }

    private void publish(SimulatedRun run, String key) {
        for (byte[] m : run.messages()) {
            in.pipeInput(key.getBytes(StandardCharsets.UTF_8), m);
        }
    }

    private List<Spectrum> spectra() {
        List<Spectrum> out = new ArrayList<>();
        spectra.readValuesToList().forEach(v -> out.add((Spectrum) v));
        return out;
    }

    /** Channels and mu of a published spectrum against the fixture it was rendered from. */
    private static void assertMatches(Spectrum s, SpectrumFile sf) throws Exception {
        Fixtures.Channels c = Fixtures.channels(sf);
        List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
        assertThat(e).hasSize(c.energy().length);
        double[] i0 = s.getChannels().getI0().stream().mapToDouble(Double::doubleValue).toArray();
        double[] it = s.getChannels().getItrans().stream().mapToDouble(Double::doubleValue).toArray();
        double[] mu = MuFromChannels.transmission(i0, it);
        for (int k = 0; k < e.size(); k++) {
            assertThat(e.get(k)).isEqualTo(c.energy()[k]);
            assertThat(mu[k]).as("mu[%d]", k).isCloseTo(Math.log(c.i0()[k] / c.it()[k]), within(1e-12));
        }
        if (c.ir() != null) {
            assertThat(s.getChannels().getIrefer()).hasSize(e.size());
        }
    }

    @Test
    void aRunOfPlainEventsBecomesOneSpectrumWithItsIdsChannelsAndTemperature() throws Exception {
        SpectrumFile sf = fixture(0);
        publish(Fixtures.run(sf, "run-a").dataSession("pass-301234"), "BMM");

        List<Spectrum> out = spectra();
        assertThat(out).hasSize(1);
        Spectrum s = out.get(0);
        assertThat(s.getSpectrumId()).isEqualTo("run-a");
        assertThat(s.getSource().getScanId()).isEqualTo("run-a");
        assertThat(s.getSource().getExperimentId()).isEqualTo("pass-301234");
        assertThat(s.getSource().getSampleId()).isEqualTo(sf.sampleName().orElseThrow());
        assertThat(s.getSource().getBeamline()).isEqualTo("BMM");
        assertThat(s.getElement()).isEqualTo("Fe");
        assertThat(s.getMode()).isEqualTo(MeasurementMode.TRANSMISSION);
        assertThat(s.getConditions().get("temperature").getValue())
                .isCloseTo(sf.conditions().get("temperature").value(), within(1e-9));
        assertThat(s.getConditions().get("temperature").getUnit()).isEqualTo("C");
        assertThat(s.getMetadata()).containsEntry("energyColumn", "dcm_energy").containsEntry("plan_name", "scan_nd");
        assertMatches(s, sf);
        assertThat(rejected.isEmpty()).isTrue();
        KeyValueStore<String, byte[]> store = driver.store();
        try (var it = store.all()) {
            assertThat(it.hasNext()).as("the finished run leaves nothing in the store").isFalse();
        }
        assertThat(metrics.count("xas.ingest.runs", "emitted")).isEqualTo(1);
        assertThat(metrics.count("xas.ingest.documents", "event")).isEqualTo(sf.points() + 2);
    }

    @Test
    void eventPagesAndNumpyEncodedColumnsGiveTheSameSpectrumAsEvents() throws Exception {
        SpectrumFile sf = fixture(1);
        publish(Fixtures.run(sf, "pages").layout(SimulatedRun.Layout.EVENT_PAGES, 64), "BMM");
        publish(Fixtures.run(sf, "numpy-pages").layout(SimulatedRun.Layout.NUMPY_PAGES, 100), "BMM");
        publish(Fixtures.run(sf, "numpy-events").layout(SimulatedRun.Layout.NUMPY_EVENTS, 1), "BMM");

        List<Spectrum> out = spectra();
        assertThat(out).extracting(Spectrum::getSpectrumId).containsExactly("pages", "numpy-pages", "numpy-events");
        for (Spectrum s : out) {
            assertMatches(s, sf);
        }
    }

    @Test
    void abortedAndFailedRunsAreDeadLetteredWithTheirExitStatus() {
        publish(Fixtures.run(fixture(0), "aborted").exit("abort", "RE aborted by user"), "BMM");
        publish(Fixtures.run(fixture(0), "failed").exit("fail", "detector timeout"), "BMM");

        assertThat(spectra()).isEmpty();
        List<RejectedSpectrum> dead = rejected.readValuesToList();
        assertThat(dead).extracting(RejectedSpectrum::getReasonCode).containsExactly("RUN_NOT_SUCCESSFUL",
                "RUN_NOT_SUCCESSFUL");
        assertThat(dead.get(0).getMessage()).contains("abort").contains("RE aborted by user");
        assertThat(dead.get(0).getSpectrumId()).isEqualTo("aborted");
        assertThat(dead.get(0).getSourceTopic()).isEqualTo(TOPIC);
        assertThat(metrics.count("xas.ingest.dead_letters", "RUN_NOT_SUCCESSFUL")).isEqualTo(2);
    }

    @Test
    void twoRunsInterleavedOnOnePartitionUnderOneKeyAreKeptApart() throws Exception {
        SpectrumFile a = fixture(0);
        SpectrumFile b = fixture(3);
        List<byte[]> ma = Fixtures.run(a, "run-a").temperature(100).messages();
        List<byte[]> mb = Fixtures.run(b, "run-b").layout(SimulatedRun.Layout.EVENT_PAGES, 7).temperature(300)
                .messages();
        byte[] key = "BMM".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < Math.max(ma.size(), mb.size()); i++) {
            if (i < ma.size()) {
                in.pipeInput(key, ma.get(i));
            }
            if (i < mb.size()) {
                in.pipeInput(key, mb.get(i));
            }
        }
        List<Spectrum> out = spectra();
        assertThat(out).extracting(Spectrum::getSpectrumId).containsExactlyInAnyOrder("run-a", "run-b");
        for (Spectrum s : out) {
            assertMatches(s, s.getSpectrumId().equals("run-a") ? a : b);
            assertThat(s.getConditions().get("temperature").getValue())
                    .isEqualTo(s.getSpectrumId().equals("run-a") ? 100.0 : 300.0);
        }
    }

    @Test
    void garbageIsDeadLetteredUnknownDocumentsAreCountedAndTheRunAroundThemStillComesOut() throws Exception {
        SpectrumFile sf = fixture(2);
        List<byte[]> m = new ArrayList<>(Fixtures.run(sf, "run-g").messages());
        m.add(3, "not msgpack at all \u0000\u00ff".getBytes(StandardCharsets.UTF_8));
        m.add(4, MsgpackWriter.write(List.of("start")));          // wrong shape
        m.add(5, MsgpackWriter.write(List.of("frobnicate", Map.of())));
        m.add(6, MsgpackWriter.write(List.of("resource", Map.of("uid", "r"))));
        m.add(7, new byte[] {(byte) 0xdc, 0x00});                                               // truncated array
        for (byte[] b : m) {
            in.pipeInput(null, b);
        }
        List<Spectrum> out = spectra();
        assertThat(out).hasSize(1);
        assertMatches(out.get(0), sf);
        List<RejectedSpectrum> dead = rejected.readValuesToList();
        assertThat(dead).extracting(RejectedSpectrum::getReasonCode).containsExactly("UNDECODABLE_DOCUMENT",
                "UNDECODABLE_DOCUMENT", "UNDECODABLE_DOCUMENT");
        assertThat(dead.get(0).getOriginal().remaining()).isGreaterThan(0);
        assertThat(metrics.count("xas.ingest.documents", "unknown")).isEqualTo(1);
        assertThat(metrics.count("xas.ingest.documents", "ignored")).isEqualTo(1);
    }

    @Test
    void anEventOfAnUnknownDescriptorAndAStopOfAnUnknownRunAreOrphans() {
        List<byte[]> m = Fixtures.run(fixture(0), "late").messages();
        // the adapter joined after the start and the descriptors: the events and the stop have nothing to join
        for (byte[] b : m.subList(3, 6)) {
            in.pipeInput(null, b);
        }
        in.pipeInput(null, m.get(m.size() - 1));
        assertThat(spectra()).isEmpty();
        assertThat(rejected.readValuesToList()).extracting(RejectedSpectrum::getReasonCode).containsOnly(
                "ORPHAN_DOCUMENT").hasSize(4);
    }

    @Test
    void aRunWithoutTheI0ColumnIsRejectedNamingTheColumn() {
        SpectrumFile sf = fixture(0);
        Fixtures.Channels c = Fixtures.channels(sf);
        SimulatedRun run = SimulatedRun.of("no-i0", c.energy(), c.i0(), c.it());
        List<byte[]> msgs = new ArrayList<>();
        for (BlueskyDocument d : run.documents()) {
            if (d.name().equals("event")) {
                ((Map<?, ?>) d.doc().get("data")).remove("I0");
            }
            msgs.add(SimulatedRun.encode(d));
        }
        msgs.forEach(b -> in.pipeInput(null, b));
        RejectedSpectrum dead = rejected.readValue();
        assertThat(dead.getReasonCode()).isEqualTo("MISSING_COLUMN");
        assertThat(dead.getMessage()).contains("i0").contains("I0");
    }

    @Test
    void theEnergyColumnIsFoundThroughTheStartHintsAndKeVIsConverted() throws Exception {
        SpectrumFile sf = fixture(0);
        publish(Fixtures.run(sf, "hinted").energyKey("mono_energy").inKeV(), "BMM");
        Spectrum s = spectra().get(0);
        assertThat(s.getMetadata()).containsEntry("energyColumn", "mono_energy");
        List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
        for (int k = 0; k < e.size(); k++) {
            assertThat(e.get(k)).isCloseTo(sf.energy()[k], within(1e-9));
        }
    }

    @Test
    void liveModePublishesThePartialScanEveryNPointsAndTheFinishedRunOnce() throws Exception {
        driver(40);
        SpectrumFile sf = fixture(0);
        publish(Fixtures.run(sf, "live"), "BMM");
        List<KeyValue<String, SpecificRecord>> out = spectra.readKeyValuesToList();
        int partials = sf.points() / 40;
        assertThat(out).hasSize(partials + 1);
        for (int k = 0; k < partials; k++) {
            Spectrum p = (Spectrum) out.get(k).value;
            assertThat(p.getSpectrumId()).isEqualTo("live#partial-" + (k + 1) * 40);
            assertThat(p.getMetadata()).containsEntry("partial", "true");
            assertThat(((ExplicitEnergyAxis) p.getEnergy()).getValuesEv()).hasSize((k + 1) * 40);
        }
        Spectrum last = (Spectrum) out.get(partials).value;
        assertThat(last.getSpectrumId()).isEqualTo("live");
        assertMatches(last, sf);
    }
}
