package io.xasstream.dashboard.feed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Assigns the fan-out's consumer to every partition of its topics (no consumer group, as {@code tail} reads) and
 * starts each new partition a bounded number of records before its end, so a dashboard opens on recent history
 * without reading a whole topic. Topics that do not exist yet are picked up by a later call.
 */
final class StartPositions {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A topic and how many records of each partition to read back. */
    record Source(String topic, long back) {
    }

    private final List<Source> sources;
    private final Set<TopicPartition> assigned = new HashSet<>();

    StartPositions(List<Source> sources) {
        this.sources = List.copyOf(sources);
    }

    /** True when every topic has been found and assigned. */
    boolean complete() {
        return sources.stream().allMatch(s -> assigned.stream().anyMatch(tp -> tp.topic().equals(s.topic())));
    }

    /** Adds the partitions found now to the assignment and seeks the new ones; returns how many were added. */
    int update(Consumer<?, ?> consumer) {
        List<TopicPartition> added = new ArrayList<>();
        Map<TopicPartition, Long> back = new HashMap<>();
        for (Source s : sources) {
            List<PartitionInfo> infos = consumer.partitionsFor(s.topic(), TIMEOUT);
            if (infos == null) {
                continue;
            }
            for (PartitionInfo p : infos) {
                TopicPartition tp = new TopicPartition(p.topic(), p.partition());
                if (!assigned.contains(tp)) {
                    added.add(tp);
                    back.put(tp, s.back());
                }
            }
        }
        if (added.isEmpty()) {
            return 0;
        }
        assigned.addAll(added);
        consumer.assign(new ArrayList<>(assigned));
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(added, TIMEOUT);
        Map<TopicPartition, Long> end = consumer.endOffsets(added, TIMEOUT);
        for (TopicPartition tp : added) {
            consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - back.get(tp)));
        }
        return added.size();
    }
}
