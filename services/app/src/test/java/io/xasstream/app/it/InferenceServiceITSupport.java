package io.xasstream.app.it;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Producing and reading in integration tests: read committed, from the beginning, no consumer group. */
final class InferenceServiceITSupport {
    private InferenceServiceITSupport() {
    }

    /**
     * The configuration of a test against an embedded broker: its address, the committed models on CPU, the given
     * overrides; the registry's topics are created.
     */
    static XasConfig configure(EmbeddedKafka kafka, String... overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bootstrap.servers", kafka.bootstrapServers());
        all.put("models.manifest", Spectra.repo("models/manifest.json").toString());
        all.put("inference.execution-provider", "cpu");
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            all.put(overrides[i], overrides[i + 1]);
        }
        XasConfig config = XasConfig.load(null, Map.of(), all);
        try (var admin = new KafkaClients(config).admin()) {
            TopicAdmin.ensure(admin, new Topics(config).all(), config);
        }
        return config;
    }

    /**
     * Producer settings for bulk test input on a loaded 2-core machine: patient timeouts (a slow broker must not
     * expire batches) and one request in flight, so that a retry can never reorder or lose a record.
     */
    static Properties bulkProducer(XasConfig config, String role) {
        Properties p = new KafkaClients(config).producer(role);
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(1 << 20));
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("request.timeout.ms", "120000");
        p.put("delivery.timeout.ms", "600000");
        return p;
    }

    /** Waits for every send and fails the test if any record was not written. */
    static void awaitAll(List<Future<RecordMetadata>> sends)
            throws Exception {
        for (var f : sends) {
            f.get(10, TimeUnit.MINUTES);
        }
    }

    static List<InferenceResult> readResults(XasConfig config, Topics topics, int expected) {
        return read(config, topics.results, expected);
    }

    /** Reads until {@code expected} records arrived (or 3 minutes), then 2 s more to catch any extra record. */
    static List<InferenceResult> read(XasConfig config, Topic<String, InferenceResult> topic, int expected) {
        var props = new KafkaClients(config).consumer("it-read", null);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<InferenceResult> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 180_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> out.add((InferenceResult) topic.valueSerde()
                        .deserializer().deserialize(r.topic(), r.value())));
            }
            long extra = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < extra) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add((InferenceResult) topic.valueSerde()
                        .deserializer().deserialize(r.topic(), r.value())));
            }
            return out;
        }
    }
}
