package io.xasstream.common.kafka;

import io.xasstream.common.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a registry topic from its beginning to its end as of now (read_committed: up to the last stable offset),
 * with no consumer group and no commits. Undecodable records are counted, not thrown. Used by {@code compare} and
 * by the integration tests that check what a service wrote.
 */
public final class TopicSnapshot {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TopicSnapshot() {
    }

    /**
     * @param role the client's role (its client.id)
     * @return records that could not be decoded
     */
    public static <V> long read(KafkaClients clients, String role, Topic<String, V> topic, Consumer<V> sink) {
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer(role, null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic.name(), WAIT);
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic.name() + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, WAIT);
            while (partitions.stream().anyMatch(p -> consumer.position(p, WAIT) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        continue;
                    }
                    V value;
                    try {
                        value = topic.valueSerde().deserializer().deserialize(topic.name(), r.value());
                    } catch (RuntimeException e) {
                        undecodable++;
                        continue;
                    }
                    sink.accept(value);
                }
            }
        }
        return undecodable;
    }

    /** Every decodable record of the topic now, in partition order. */
    public static <V> List<V> readAll(KafkaClients clients, String role, Topic<String, V> topic) {
        List<V> out = new ArrayList<>();
        read(clients, role, topic, out::add);
        return out;
    }
}
