package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.app.Main;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.karabo.KaraboBridgeSimulator;
import io.xasstream.ingest.msgpack.MsgpackWriter;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.ingest.tiled.TiledSimulator;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ingest karabo} and {@code ingest tiled} as a user runs them (the command line: options, profile file,
 * cluster, management server) against the simulated Karabo bridge and Tiled server of the ingest module, with
 * {@code --once}: what each publishes is read back from the embedded broker.
 */
class IngestKaraboTiledIT {
    private static final String SPEC = "SA3_EXP_SPEC/CAM/SPECTROMETER:output";
    private static final String XGM = "SA3_XTD10_XGM/XGM/DOOCS:output";

    private static EmbeddedKafka kafka;
    private static XasConfig config;
    private static Topics topics;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        config = InferenceServiceITSupport.configure(kafka);
        topics = new Topics(config);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    /** Runs the command in this JVM; its exit code and what it printed. */
    private static String run(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-b", kafka.bootstrapServers(), "--set", "management.port=0"));
        assertThat(cl.execute(all.toArray(String[]::new))).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void ingestKaraboPublishesOneBatchPerTrainOfTheBridge(@TempDir Path tmp) throws Exception {
        int pulses = 3;
        int pixels = 16;
        Path profile = Files.writeString(tmp.resolve("sqs.yaml"),
                "karabo: {experiment: p900200, sample: fe-foil, element: Fe, calibration: [7100.0, 1.0]}\n");
        try (KaraboBridgeSimulator bridge = new KaraboBridgeSimulator()) {
            for (long tid = 3_000_000_000L; tid < 3_000_000_003L; tid++) {
                double[] counts = new double[pulses * pixels];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = 1000 + (tid % 10) * 100 + i;
                }
                bridge.train(tid, 1.7e9 + tid % 100, Map.of(
                        SPEC, new KaraboBridgeSimulator.Source(Map.of(), Map.of("data.spectra",
                                new NdArray("float64", new int[] {pulses, pixels}, MsgpackWriter.littleEndian(counts)))),
                        XGM, new KaraboBridgeSimulator.Source(Map.of(), Map.of("data.intensityTD",
                                new NdArray("float64", new int[] {pulses}, MsgpackWriter.littleEndian(
                                        new double[] {500, 510, 520}))))));
            }
            String out = run(0, "ingest", "karabo", "--endpoint", bridge.endpoint(), "--profile", profile.toString(),
                    // --once ends 2 s after the last train (the clock starts at the ZeroMQ handshake, not at start)
                    "--once", "--set", "ingest.karabo.receive-timeout-ms=2000");
            assertThat(out).contains("ingest karabo: 3 trains read");
        }
        List<SpectrumBatch> batches = IngestFixtures.readCommitted(config, topics.spectra).stream()
                .filter(SpectrumBatch.class::isInstance).map(SpectrumBatch.class::cast)
                .filter(b -> b.getSource().getExperimentId().equals("p900200")).toList();
        assertThat(batches).extracting(SpectrumBatch::getTrainId).containsExactly(3_000_000_000L, 3_000_000_001L,
                3_000_000_002L);
        assertThat(batches).allSatisfy(b -> assertThat(b.getCount()).isEqualTo(pulses));
    }

    @Test
    void ingestTiledPublishesEachRunSinceOnceAndASecondRunNothing() throws Exception {
        double t0 = 1_760_000_000;
        try (TiledSimulator tiled = new TiledSimulator("bmm/raw", "k3y")) {
            tiled.add(IngestFixtures.run("cu-reduction", 0, "cli-old").startTime(t0 - 3600), true);
            tiled.add(IngestFixtures.run("cu-reduction", 1, "cli-run-1").startTime(t0 + 10), true);
            tiled.add(IngestFixtures.run("fe-reduction", 2, "cli-run-2").startTime(t0 + 20), true);
            String[] args = {"ingest", "tiled", "--url", tiled.url(), "--catalog", "bmm/raw", "--since",
                "1760000000", "--once", "-q", "--set", "ingest.tiled.api-key=k3y",
                "--set", "ingest.tiled.transactional-id=it-cli-tiled"};
            assertThat(run(0, args)).contains("2 runs found, 2 published, 0 rejected, 0 already done");
            assertThat(run(0, args)).contains("2 runs found, 0 published, 0 rejected, 2 already done");
        }
        List<String> ids = IngestFixtures.readCommitted(config, topics.spectra).stream()
                .filter(Spectrum.class::isInstance).map(v -> ((Spectrum) v).getSpectrumId())
                .filter(id -> id.startsWith("cli-")).toList();
        assertThat(ids).containsExactlyInAnyOrder("cli-run-1", "cli-run-2");
    }
}
