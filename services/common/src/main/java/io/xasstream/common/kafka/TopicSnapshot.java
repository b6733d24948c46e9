package io.xasstream.monitor.compare;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.schema.result.InferenceResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning to its end as of now (read_committed: up to the last stable offset), with no
 * consumer group and no commits. Undecodable records are counted, not thrown.
 */
public final class TopicSnapshot {
    private TopicSnapshot() {
    }

    /** @return records that could not be decoded */
    public static <V> long read(KafkaClients clients, Topic<String, V> topic, Consumer<V> sink) {
        long undecodable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("compare", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic.name() + " does not exist");
            }
            List<TopicPartition> partitions = infos.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
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

    /** Both topics read to their end into a comparison. */
    public static ResultComparison compare(KafkaClients clients, Topic<String, InferenceResult> a,
                                           Topic<String, InferenceResult> b) {
        ResultComparison c = new ResultComparison(a.name(), b.name());
        read(clients, a, c::addA);
        read(clients, b, c::addB);
        return c;
    }
}
