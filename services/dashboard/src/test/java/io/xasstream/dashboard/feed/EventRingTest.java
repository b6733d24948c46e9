package io.xasstream.dashboard.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventRingTest {
    private static Frame tick(long id, int chars) {
        return new Frame(id, false, List.of(new Item("e/s", Kind.RESULT, "x".repeat(chars))));
    }

    @Test
    void aReconnectGetsExactlyTheTicksAfterItsLastEventId() {
        EventRing ring = new EventRing(1_000_000);
        for (long id = 100; id < 110; id++) {
            ring.add(tick(id, 10));
        }
        assertThat(ring.after(104)).extracting(Frame::id).containsExactly(105L, 106L, 107L, 108L, 109L);
        assertThat(ring.after(109)).isEmpty();
        assertThat(ring.after(99)).extracting(Frame::id).hasSize(10).startsWith(100L);
    }

    @Test
    void anIdOlderThanTheRingOrFromAnotherProcessNeedsASnapshot() {
        EventRing ring = new EventRing(1_000_000);
        assertThat(ring.after(5)).isNull();
        for (long id = 100; id < 110; id++) {
            ring.add(tick(id, 10));
        }
        assertThat(ring.after(98)).isNull();
        assertThat(ring.after(110)).isNull();
    }

    @Test
    void theRingForgetsTheOldestTicksBeyondItsByteBound() {
        EventRing ring = new EventRing(10_000);
        for (long id = 1; id <= 1_000; id++) {
            ring.add(tick(id, 500));
        }
        assertThat(ring.bytes()).isLessThanOrEqualTo(10_000);
        assertThat(ring.size()).isBetween(10, 20);
        assertThat(ring.after(1_000 - ring.size())).hasSize(ring.size());
        assertThat(ring.after(1_000 - ring.size() - 1)).isNull();
    }

    @Test
    void ticksMustBeConsecutive() {
        EventRing ring = new EventRing(10_000);
        ring.add(tick(1, 1));
        assertThatThrownBy(() -> ring.add(tick(3, 1))).isInstanceOf(IllegalArgumentException.class);
    }
}
