package io.xasstream.inference.loop;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a run stops: nowhere (the live service), or before an end offset per partition (a replay). Records at or
 * after a partition's end are left unprocessed and uncommitted, so a later run with the same bounds adds nothing.
 */
public final class Bounds {
    private static final Bounds NONE = new Bounds(null);

    private final Map<TopicPartition, Long> ends;

    private Bounds(Map<TopicPartition, Long> ends) {
        this.ends = ends;
    }

    /** Runs until stopped. */
    public static Bounds none() {
        return NONE;
    }

    /** Stops once every assigned partition reached its end offset (exclusive); a partition not named ends at 0. */
    public static Bounds until(Map<TopicPartition, Long> ends) {
        return new Bounds(Map.copyOf(ends));
    }

    public boolean bounded() {
        return ends != null;
    }

    /** The end offset of a partition (exclusive). */
    public long end(TopicPartition tp) {
        return ends == null ? Long.MAX_VALUE : ends.getOrDefault(tp, 0L);
    }

    /** The records before their partition's end; {@code reachedEnd} is told each partition whose end they pass. */
    ConsumerRecords<byte[], byte[]> keep(ConsumerRecords<byte[], byte[]> records,
                                         Consumer<TopicPartition> reachedEnd) {
        if (ends == null) {
            return records;
        }
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> kept = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            long end = end(tp);
            List<ConsumerRecord<byte[], byte[]>> all = records.records(tp);
            List<ConsumerRecord<byte[], byte[]>> in = all.stream().filter(r -> r.offset() < end).toList();
            if (!in.isEmpty()) {
                kept.put(tp, in);
            }
            if (in.size() < all.size()) {
                reachedEnd.accept(tp);
            }
        }
        return new ConsumerRecords<>(kept, Map.of());
    }

    /** True when a bounded run's every assigned partition is at or past its end. */
    boolean reached(Set<TopicPartition> assigned, ToLongFunction<TopicPartition> position) {
        if (ends == null || assigned.isEmpty()) {
            return false;
        }
        return assigned.stream().allMatch(tp -> position.applyAsLong(tp) >= end(tp));
    }
}
