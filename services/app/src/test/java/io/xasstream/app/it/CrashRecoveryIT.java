package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: the service process is killed (SIGKILL, no shutdown) while 20,000 spectra are in
 * flight and restarted; the results topic, read committed, then holds exactly one result per spectrum.
 */
class CrashRecoveryIT {
    private static final int SPECTRA = 20_000;

    @Test
    void killedMidStreamAndRestartedTheServiceAnswersEverySpectrumExactlyOnce(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            XasConfig config = InferenceServiceITSupport.configure(kafka);
            Topics topics = new Topics(config);
            // Given 20,000 spectra of 10 samples on the input topic
            try (var producer = new KafkaProducer<>(InferenceServiceITSupport.bulkProducer(config, "it"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                Spectrum template = Spectra.fe("t", "crash", "s");
                List<Future<RecordMetadata>> sends =
                        new ArrayList<>();
                for (int i = 0; i < SPECTRA; i++) {
                    template.setSpectrumId("spectrum-" + i);
                    template.getSource().setSampleId("s" + (i % 10));
                    byte[] value = topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), template);
                    sends.add(producer.send(new ProducerRecord<>(topics.spectra.name(),
                            ("crash/s" + (i % 10)).getBytes(StandardCharsets.UTF_8), value)));
                }
                InferenceServiceITSupport.awaitAll(sends);
            }

            // When the service is killed without a clean shutdown part-way through, then restarted
            Process first = startService(kafka, tmp.resolve("first.log"));
            long before = waitForResults(config, topics, 2_000, first, tmp.resolve("first.log"));
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertThat(before).as("killed while spectra were still in flight").isLessThan(SPECTRA);

            Process second = startService(kafka, tmp.resolve("second.log"));
            try {
                waitForResults(config, topics, SPECTRA, second, tmp.resolve("second.log"));
            } finally {
                second.destroy();
                second.waitFor(60, TimeUnit.SECONDS);
            }

            // Then the committed results hold each spectrum exactly once
            Map<String, Integer> counts = countResults(config, topics);
            assertThat(counts).hasSize(SPECTRA);
            assertThat(counts.values()).allMatch(c -> c == 1);
        }
    }

    private static Process startService(EmbeddedKafka kafka, Path log) throws Exception {
        Path jar = Spectra.repo("services/app/target/xasstream.jar");
        assertThat(jar).exists();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "run", "-b", kafka.bootstrapServers(),
                "--set", "models.manifest=" + Spectra.repo("models/manifest.json"),
                "--set", "management.port=0", "--set", "monitor.http.port=0",
                "--set", "inference.execution-provider=cpu", "--set", "inference.transactional-id=crash-test");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static long waitForResults(XasConfig config, Topics topics, long target, Process p, Path log)
            throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        long seen = 0;
        Properties props = new KafkaClients(config).consumer("it-watch", null);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topics.results.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (seen < target && System.currentTimeMillis() < deadline) {
                if (!p.isAlive()) {
                    throw new AssertionError("service exited: " + Files.readString(log));
                }
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        if (seen < target) {
            throw new AssertionError("only " + seen + " results; service log:\n" + Files.readString(log));
        }
        return seen;
    }

    private static Map<String, Integer> countResults(XasConfig config, Topics topics) {
        Map<String, Integer> counts = new HashMap<>();
        Properties props = new KafkaClients(config).consumer("it-count", null);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topics.results.name()).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline && partitions.stream()
                    .anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    InferenceResult res = (InferenceResult) topics.results.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    counts.merge(res.getSpectrumId(), 1, Integer::sum);
                });
            }
        }
        return counts;
    }
}
