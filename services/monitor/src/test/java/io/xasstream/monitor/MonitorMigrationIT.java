package io.xasstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.monitor.state.MonitorStores;
import io.xasstream.monitor.state.SampleStateCodec;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrading over a changelog of the previous release: the samples changelog's newest value for a sample is in the old
 * binary format and the local state is gone, so the new monitor restores from the changelog, reads the old format,
 * goes on counting and alerting where the old one stopped, and writes the sample back in Avro.
 */
class MonitorMigrationIT {
    private static final String APP = "monitor-migration-it";
    private static final String CHANGELOG = APP + "-" + MonitorStores.SAMPLES + "-changelog";

    @Test
    void aMonitorStartedOnAnOldFormatChangelogRestoresTheSampleAndGoesOn(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("it")) {
            XasConfig first = config(kafka, Files.createDirectory(tmp.resolve("first")));
            Topics topics = new Topics(first);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicAdmin.ensure(admin, topics.all(), first);
            }
            SyntheticResults cu = new SyntheticResults("exp-mig", "cuo-1", 5);
            String key = cu.key();
            try (KafkaProducer<String, InferenceResult> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                    topics.results.keySerde().serializer(), topics.results.valueSerde().serializer())) {
                // Given a monitor that saw a reduction (Cu2+ to Cu+ at result 40) and stopped
                long alerts;
                try (MonitorService monitor = new MonitorService(first, topics, metrics, new Readiness()).start()) {
                    send(producer, topics, cu, 0, 80);
                    alerts = awaitState(monitor, key, 80).getAlertCount();
                }
                assertThat(alerts).isPositive();

                // and whose changelog holds the sample in the previous release's format, with no local state left
                ConsumerRecord<String, byte[]> newest = newest(kafka, key).orElseThrow();
                byte[] legacy = LegacyStateWriter.write(SampleStateCodec.stored(newest.value()));
                try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of("bootstrap.servers",
                        kafka.bootstrapServers(), "acks", "all"), new StringSerializer(), new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(CHANGELOG, newest.partition(), key, legacy)).get();
                }

                // When the new monitor starts there (fresh state directory) and more results come
                MonitorService upgraded = new MonitorService(config(kafka, Files.createDirectory(tmp.resolve("new"))),
                        topics, metrics, new Readiness()).start();
                try {
                    send(producer, topics, cu, 80, 110);
                    OperandoState state = awaitState(upgraded, key, 110);
                    // Then it went on from the restored state: every result counted once, no alert repeated
                    assertThat(state.getSpectraSeen()).isEqualTo(110);
                    assertThat(state.getAlertCount()).isEqualTo(alerts);
                } finally {
                    upgraded.close();
                }
                // and the sample is stored in Avro again
                assertThat(newest(kafka, key).orElseThrow().value()[0]).isEqualTo((byte) 0xC3);
            }
        }
    }

    private static XasConfig config(EmbeddedKafka kafka, Path stateDir) {
        return XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "monitor.application-id", APP, "monitor.state-dir", stateDir.toString()));
    }

    /** Sends results from..to-1 and waits for every acknowledgement, so a failed send fails here with its cause. */
    private static void send(KafkaProducer<String, InferenceResult> producer, Topics topics, SyntheticResults cu,
                             int from, int to) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            boolean reduced = i >= 40;
            acks.add(producer.send(new ProducerRecord<>(topics.results.name(), cu.key(), cu.result(i, 0,
                    reduced ? 1 : 0, reduced ? 0 : 1, SyntheticResults.temperature(100 + i)))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(2, TimeUnit.MINUTES);
        }
    }

    private static OperandoState awaitState(MonitorService monitor, String key, long seen)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "no state yet";
        while (System.currentTimeMillis() < deadline) {
            try {
                Optional<OperandoState> s = monitor.queries().state(key);
                if (s.isPresent() && s.get().getSpectraSeen() >= seen) {
                    return s.get();
                }
                last = s.map(o -> o.getSpectraSeen() + " results seen").orElse("no state for the sample");
            } catch (RuntimeException e) {
                // stores not queryable while restoring or rebalancing
                last = "store not queryable: " + e;
            }
            Thread.sleep(200);
        }
        // what was seen last and the Streams state, so a failure on a slow machine says where it stood
        throw new AssertionError("the monitor did not reach " + seen + " results of " + key + " in 120 s; last: "
                + last + "; streams " + monitor.state());
    }

    /** The newest committed changelog record of a sample. */
    private static Optional<ConsumerRecord<String, byte[]>> newest(EmbeddedKafka kafka, String key) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "isolation.level", "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor(CHANGELOG, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            ConsumerRecord<String, byte[]> newest = null;
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        newest = r;
                    }
                }
            }
            return Optional.ofNullable(newest);
        }
    }
}
