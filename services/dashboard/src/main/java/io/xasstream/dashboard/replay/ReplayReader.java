package io.xasstream.dashboard.replay;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.dashboard.json.RecordItems;
import io.xasstream.schema.result.InferenceResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * One sample's results in a versioned results topic (a replay through another model version, or the shadow), to
 * overlay on the live charts. A bounded, one-off read of the one partition the sample's key maps to, one read at a
 * time (blocking: call it on a worker). Versioned topics are finite archives, unlike the live stream.
 */
public final class ReplayReader {
    static final Duration READ_LIMIT = Duration.ofSeconds(10);
    /** Records of the partition looked at, per result kept: other samples share the partition. */
    static final int SCAN_FACTOR = 50;

    private final KafkaClients clients;
    private final Topics topics;
    private final int maxPoints;
    private final Semaphore oneAtATime = new Semaphore(1);

    public ReplayReader(KafkaClients clients, Topics topics, int maxPoints) {
        this.clients = clients;
        this.topics = topics;
        this.maxPoints = maxPoints;
    }

    /** Names of the results topics other than the live one, as a JSON-ready list. */
    public List<String> topics() throws Exception {
        try (Admin admin = clients.admin()) {
            String prefix = topics.results.name() + ".";
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).stream().filter(n -> n.startsWith(prefix))
                    .sorted().toList();
        }
    }

    /** The newest results of one sample in {@code topicName}, oldest first, as a JSON array of result items. */
    public String read(String topicName, String experiment, String sample) throws Exception {
        Topic<String, InferenceResult> topic = resolve(topicName);
        if (!oneAtATime.tryAcquire()) {
            throw new IllegalStateException("another replay is being read; retry");
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(clients.consumer("dashboard-replay", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            String key = RecordKeys.of(experiment, sample);
            byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
            List<PartitionInfo> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                throw new IllegalArgumentException("no topic " + topic.name());
            }
            TopicPartition tp = new TopicPartition(topic.name(), partitionOf(keyBytes, partitions.size()));
            consumer.assign(List.of(tp));
            long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            consumer.seek(tp, Math.max(begin, end - (long) maxPoints * SCAN_FACTOR));
            ArrayDeque<String> kept = new ArrayDeque<>();
            var decoder = topic.valueSerde().deserializer();
            long deadline = System.nanoTime() + READ_LIMIT.toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(200))) {
                    if (rec.value() != null && rec.key() != null && Arrays.equals(rec.key(), keyBytes)) {
                        kept.addLast(RecordItems.result(decoder.deserialize(topic.name(), rec.value())).json());
                        if (kept.size() > maxPoints) {
                            kept.removeFirst();
                        }
                    }
                }
            }
            return "[" + String.join(",", kept) + "]";
        } finally {
            oneAtATime.release();
        }
    }

    /**
     * The partition that Kafka's default partitioner gives a record with this (serialized, non-null) key: the
     * positive murmur2 hash of the key bytes modulo the partition count, the formula the producer documents for
     * keyed records when no partitioner is configured (as for every producer of results here). Computed with the
     * public {@link Utils} functions rather than the producer's internal partitioner class.
     */
    static int partitionOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    private Topic<String, InferenceResult> resolve(String name) {
        String prefix = topics.results.name() + ".";
        if (name.equals(topics.resultsShadow.name())) {
            return topics.resultsShadow;
        }
        if (name.startsWith(prefix) && name.length() > prefix.length()) {
            return topics.resultsFor(name.substring(prefix.length()));
        }
        throw new IllegalArgumentException("'" + name + "' is not a versioned results topic (" + prefix
                + "<version>)");
    }
}
