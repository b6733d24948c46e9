package io.xasstream.ingest.tiled;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.ingest.IngestCheckpoint;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What an archive adapter has already handled, read back from the compacted checkpoint topic (read_committed:
 * only items whose spectrum or dead letter committed with them).
 */
final class Checkpoints {
    private Checkpoints() {
    }

    /** The record key of an item's checkpoint: one per source and item, so compaction keeps the latest. */
    static String key(String source, String itemId) {
        return source + "|" + itemId;
    }

    /** Ids of the items of {@code source} handled so far. */
    static Set<String> handled(KafkaClients clients, Topics topics, String source) {
        Set<String> out = new HashSet<>();
        var props = clients.consumer("ingest-checkpoints", null);
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topics.ingestCheckpoints.name(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 120_000;
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("cannot read " + topics.ingestCheckpoints.name() + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value() == null || r.key() == null || !r.key().startsWith(source + "|")) {
                        return;
                    }
                    IngestCheckpoint c = topics.ingestCheckpoints.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value());
                    out.add(c.getItemId());
                });
            }
        }
        return out;
    }
}
