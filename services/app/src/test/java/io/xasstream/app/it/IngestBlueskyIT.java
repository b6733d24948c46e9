package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.bluesky.BlueskyIngest;
import io.xasstream.ingest.bluesky.SimulatedRun;
import io.xasstream.ingest.profile.ProfileLoader;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest bluesky} with the rest of xasstream on the embedded broker: the inference service answers an
 * ingested run, and the packaged command killed in the middle of a run and started again still emits every run
 * exactly once.
 */
class IngestBlueskyIT {
    private static EmbeddedKafka kafka;
    private static XasConfig config;
    private static Topics topics;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        config = InferenceServiceITSupport.configure(kafka, "inference.transactional-id", "it-ingest-inference");
        topics = new Topics(config);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void theInferenceServiceAnswersAnIngestedRun() throws Exception {
        createTopic("bmm.bluesky.runengine.documents");
        produce("bmm.bluesky.runengine.documents", IngestFixtures.run("fe-reduction", 0, "fe-run").messages());
        produce("bmm.bluesky.runengine.documents", IngestFixtures.run("cu-reduction", 5, "cu-run").layout(
                SimulatedRun.Layout.NUMPY_PAGES, 100).messages());

        try (XasMetrics metrics = new XasMetrics("it");
             InferenceService inference = InferenceService.start(config, topics, new KafkaClients(config), metrics,
                     new Readiness(), InferenceService.Target.live(config, topics));
             BlueskyIngest ingest = BlueskyIngest.start(config, topics,
                     Pattern.compile("bmm\\.bluesky\\.runengine\\.documents"), ProfileLoader.defaults(),
                     new IngestMetrics(new SimpleMeterRegistry(), "bluesky"), null, 0)) {
            List<InferenceResult> results = InferenceServiceITSupport.readResults(config, topics, 2);
            assertThat(results).extracting(InferenceResult::getSpectrumId).containsExactlyInAnyOrder("fe-run",
                    "cu-run");
            for (InferenceResult r : results) {
                assertThat(r.getElement()).isEqualTo(r.getSpectrumId().startsWith("fe") ? "Fe" : "Cu");
                assertThat(r.getModels()).as("answered by a model").isNotEmpty();
                assertThat(r.getSource().getExperimentId()).isEqualTo("it-ingest");
                assertThat(r.getConditions()).containsKey("temperature");
            }
        }
    }

    @Test
    void killedInTheMiddleOfARunAndRestartedTheCommandEmitsEachRunOnce(@TempDir Path tmp) throws Exception {
        String topic = "crash.bluesky.runengine.documents";
        createTopic(topic);
        List<byte[]> a = IngestFixtures.run("fe-reduction", 10, "crash-a").messages();
        List<byte[]> b = IngestFixtures.run("ni-cycling", 3, "crash-b").layout(SimulatedRun.Layout.EVENT_PAGES, 30).messages();
        produce(topic, a.subList(0, 150));

        Process first = ingest(tmp.resolve("first.log"), topic, false);
        awaitCommitted(150, first, tmp.resolve("first.log"));
        produce(topic, a.subList(150, 250));
        Thread.sleep(300);
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        produce(topic, a.subList(250, a.size()));
        produce(topic, b);
        Process second = ingest(tmp.resolve("second.log"), topic, true);
        assertThat(second.waitFor(4, TimeUnit.MINUTES)).as("the restarted --once finished").isTrue();
        assertThat(second.exitValue()).as(Files.readString(tmp.resolve("second.log"))).isZero();

        List<Spectrum> spectra = new ArrayList<>();
        for (Object v : IngestFixtures.readCommitted(config, topics.spectra)) {
            if (v instanceof Spectrum s && s.getSpectrumId().startsWith("crash-")) {
                spectra.add(s);
            }
        }
        assertThat(spectra).extracting(Spectrum::getSpectrumId).containsExactlyInAnyOrder("crash-a", "crash-b");
        SpectrumFile fa = DemoSeries.load("fe-reduction").spectra().get(10);
        Spectrum sa = spectra.stream().filter(s -> s.getSpectrumId().equals("crash-a")).findFirst().orElseThrow();
        assertThat(sa.getChannels().getI0()).hasSize(fa.points());
        for (int k = 0; k < fa.points(); k++) {
            double mu = Math.log(sa.getChannels().getI0().get(k) / sa.getChannels().getItrans().get(k));
            double expected = Math.log(fa.channels().get("i0")[k] / fa.channels().get("itrans")[k]);
            assertThat(Math.abs(mu - expected)).isLessThanOrEqualTo(1e-12);
        }
    }

    private static Process ingest(Path log, String topic, boolean once) throws Exception {
        Path jar = Spectra.repo("services/app/target/xasstream.jar");
        assertThat(jar).exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", jar.toString(), "ingest", "bluesky", "--topics", Pattern.quote(topic),
                "-b", kafka.bootstrapServers(), "--set", "management.port=0",
                "--set", "ingest.bluesky.application-id=it-crash-ingest",
                // a killed member must not hold its partitions, nor its open transaction, for long
                "--set", "kafka.client.session.timeout.ms=6000", "--set", "kafka.client.transaction.timeout.ms=5000"));
        if (once) {
            cmd.add("--once");
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until the killed-to-be adapter has committed past {@code offset} (the run is half read). */
    private static void awaitCommitted(long offset, Process p, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        try (Admin admin = new KafkaClients(config).admin()) {
            while (System.currentTimeMillis() < deadline) {
                if (!p.isAlive()) {
                    throw new AssertionError("adapter exited: " + Files.readString(log));
                }
                var committed = admin.listConsumerGroupOffsets("it-crash-ingest").partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).get(new TopicPartition("crash.bluesky.runengine.documents", 0));
                if (committed != null && committed.offset() >= offset) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("adapter never committed " + offset + ": " + Files.readString(log));
    }

    private static void createTopic(String name) throws Exception {
        try (Admin admin = new KafkaClients(config).admin()) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void produce(String topic, List<byte[]> values) throws Exception {
        try (var producer = new KafkaProducer<>(new KafkaClients(config).producer("it-bluesky"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (byte[] v : values) {
                sends.add(producer.send(new ProducerRecord<>(topic, 0, "bmm".getBytes(), v)));
            }
            for (var f : sends) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
