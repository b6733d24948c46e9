package io.xasstream.loadtests;

import io.xasstream.common.kafka.KafkaClients;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Where a topic ends, and where a consumer group starts: each measured reader reads exactly the records meant. */
public final class Offsets {
    private Offsets() {
    }

    /** The end offset of every partition of a topic (what the next record will get). */
    public static Map<TopicPartition, Long> ends(Admin admin, String topic) {
        return of(admin, topic, OffsetSpec.latest());
    }

    /** The first offset still held of every partition of a topic. */
    public static Map<TopicPartition, Long> starts(Admin admin, String topic) {
        return of(admin, topic, OffsetSpec.earliest());
    }

    private static Map<TopicPartition, Long> of(Admin admin, String topic, OffsetSpec spec) {
        try {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            description.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()), spec));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(ask).all().get(30, TimeUnit.SECONDS).forEach((tp, o) -> out.put(tp, o.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the offsets of " + topic + ": " + e.getMessage(), e);
        }
    }

    /** A reader of every partition of these topics from their ends as they are now (no group, read_committed). */
    public static KafkaConsumer<byte[], byte[]> readerAtEnd(KafkaClients clients, String role, String... topics) {
        var reader = new KafkaConsumer<>(clients.consumer(role, null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            reader.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        reader.assign(partitions);
        reader.seekToEnd(partitions);
        partitions.forEach(reader::position); // resolve the ends now, not at the first poll
        return reader;
    }

    /** Commits these offsets for a group that has no active member: it starts reading there. */
    public static void startGroupAt(Admin admin, String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        try {
            admin.alterConsumerGroupOffsets(group, commit).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set the offsets of group " + group + ": " + e.getMessage(), e);
        }
    }
}
