package io.xasstream.app.it;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.result.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reading result topics in integration tests: read committed, from the beginning, no consumer group. */
final class InferenceServiceITSupport {
    private InferenceServiceITSupport() {
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
