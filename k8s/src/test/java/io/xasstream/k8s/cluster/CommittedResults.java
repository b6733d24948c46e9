package io.xasstream.k8s.cluster;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.result.InferenceResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic read_committed from the beginning, without a consumer group, and keeps the records of one test
 * (ids with its prefix) as they come: what a downstream consumer of xasstream sees.
 */
public final class CommittedResults<V extends SpecificRecord> implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, V> topic;
    private final Function<V, String> id;
    private final String prefix;
    private final Map<String, Integer> counts = new HashMap<>();
    private final List<V> records = new ArrayList<>();

    public CommittedResults(XasConfig config, Topic<String, V> topic, Function<V, String> id, String prefix) {
        this.consumer = new KafkaConsumer<>(new KafkaClients(config).consumer("it-read", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.id = id;
        this.prefix = prefix;
        List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    public static CommittedResults<InferenceResult> results(XasConfig config, String prefix) {
        return new CommittedResults<>(config, new Topics(config).results,
                r -> r.getSpectrumId(), prefix);
    }

    /** Polls until at least {@code n} records of this test arrived; fails when a watched process died. */
    public int awaitAtLeast(int n, Duration timeout, ServiceProcess... mustLive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < n && System.nanoTime() < deadline) {
            for (ServiceProcess p : mustLive) {
                if (!p.isAlive()) {
                    throw new AssertionError(p + " died:\n" + p.log());
                }
            }
            poll();
        }
        if (records.size() < n) {
            throw new AssertionError("only " + records.size() + " of " + n + " records on " + topic.name());
        }
        return records.size();
    }

    /** Polls until a record of each of {@code ids} arrived; fails when a watched process died. */
    public void awaitEach(Collection<String> ids, Duration timeout, ServiceProcess... mustLive) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!counts.keySet().containsAll(ids) && System.nanoTime() < deadline) {
            for (ServiceProcess p : mustLive) {
                if (!p.isAlive()) {
                    throw new AssertionError(p + " died:\n" + p.log());
                }
            }
            poll();
        }
        List<String> missing = ids.stream().filter(i -> !counts.containsKey(i)).toList();
        if (!missing.isEmpty()) {
            throw new AssertionError("no record on " + topic.name() + " for " + missing);
        }
    }

    /** Reads on for {@code quiet} more, to catch any duplicate that would still arrive. */
    public void settle(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            poll();
        }
    }

    private void poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            V value = topic.valueSerde().deserializer().deserialize(r.topic(), r.value());
            String key = id.apply(value);
            if (key != null && key.startsWith(prefix + "-")) {
                counts.merge(key, 1, Integer::sum);
                records.add(value);
            }
        });
    }

    public Map<String, Integer> counts() {
        return counts;
    }

    public List<V> records() {
        return records;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
