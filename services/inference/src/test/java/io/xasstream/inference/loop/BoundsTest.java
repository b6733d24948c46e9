package io.xasstream.inference.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BoundsTest {
    private final TopicPartition p0 = new TopicPartition("t", 0);
    private final TopicPartition p1 = new TopicPartition("t", 1);

    private ConsumerRecords<byte[], byte[]> records(TopicPartition tp, long from, long to) {
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
        for (long o = from; o < to; o++) {
            list.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, null, null));
        }
        return new ConsumerRecords<>(Map.of(tp, list), Map.of());
    }

    @Test
    void unboundedKeepsEverythingAndNeverEnds() {
        List<TopicPartition> ended = new ArrayList<>();
        assertThat(Bounds.none().keep(records(p0, 0, 5), ended::add).count()).isEqualTo(5);
        assertThat(ended).isEmpty();
        assertThat(Bounds.none().reached(Set.of(p0), tp -> Long.MAX_VALUE - 1)).isFalse();
    }

    @Test
    void recordsAtOrAfterTheEndAreLeftAndTheirPartitionReported() {
        Bounds b = Bounds.until(Map.of(p0, 3L));
        List<TopicPartition> ended = new ArrayList<>();

        ConsumerRecords<byte[], byte[]> kept = b.keep(records(p0, 1, 6), ended::add);

        assertThat(kept.records(p0)).extracting(ConsumerRecord::offset).containsExactly(1L, 2L);
        assertThat(ended).containsExactly(p0);
        // a partition the bounds do not name ends at 0: nothing of it is taken
        assertThat(b.keep(records(p1, 0, 2), ended::add).count()).isZero();
    }

    @Test
    void reachedOnlyWhenEveryAssignedPartitionIsAtItsEnd() {
        Bounds b = Bounds.until(Map.of(p0, 3L, p1, 7L));
        assertThat(b.reached(Set.of(p0, p1), tp -> tp.equals(p0) ? 3 : 6)).isFalse();
        assertThat(b.reached(Set.of(p0, p1), tp -> tp.equals(p0) ? 3 : 7)).isTrue();
        assertThat(b.reached(Set.of(), tp -> 0)).as("nothing assigned yet").isFalse();
    }
}
