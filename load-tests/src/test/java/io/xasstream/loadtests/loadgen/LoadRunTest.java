package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** The scheduler and the matching without Kafka: a sink that records the sends, a source that answers them. */
class LoadRunTest {
    private record Sent(long n, int source, List<String> ids, Instant acquiredAt, boolean reject) {
    }

    /** Records every send; its answers: one per id, dead letters for rejected sends, and what a test adds. */
    private static final class Echo implements LoadRun.Sink, LoadRun.Source {
        final List<Sent> sent = new ArrayList<>();
        final ConcurrentLinkedQueue<Sent> toAnswer = new ConcurrentLinkedQueue<>();
        String dropId;
        String duplicateId;

        @Override
        public void send(long n, int source, List<String> ids, Instant acquiredAt, boolean reject) {
            Sent s = new Sent(n, source, List.copyOf(ids), acquiredAt, reject);
            sent.add(s);
            toAnswer.add(s);
        }

        @Override
        public void poll(Ledger ledger, Duration timeout) {
            for (Sent s = toAnswer.poll(); s != null; s = toAnswer.poll()) {
                for (String id : s.ids()) {
                    if (id.equals(dropId)) {
                        continue;
                    }
                    if (s.reject()) {
                        ledger.deadLettered(id, System.nanoTime());
                    } else {
                        ledger.answered(id, System.nanoTime());
                    }
                    if (id.equals(duplicateId)) {
                        ledger.answered(id, System.nanoTime());
                    }
                }
            }
            Thread.onSpinWait();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void sendsFollowTheScheduleAndEveryAnswerIsCounted() throws Exception {
        Echo echo = new Echo();
        // 3 beamlines × 2000 spectra/s for 0.05 s: 300 sends, every 7th rejected
        LoadRun run = new LoadRun(new LoadRun.Plan(ArrivalSchedule.quickExafs(3, 2000), 0.05, 1_000_000, 5, 7), "t");
        LoadReport r = run.run(echo, echo);

        assertThat(echo.sent).hasSize(300);
        assertThat(echo.sent.get(4).source()).isEqualTo(1);
        assertThat(echo.sent.get(4).ids()).containsExactly("t-4");
        // acquiredAt is the due time: 1/6000 s apart, whenever the send went out
        assertThat(Duration.between(echo.sent.get(0).acquiredAt(), echo.sent.get(60).acquiredAt()))
                .isEqualTo(Duration.ofMillis(10));
        assertThat(echo.sent.stream().filter(Sent::reject).map(Sent::n).toList()).startsWith(6L, 13L, 20L);
        assertThat(r.injected()).isEqualTo(42);
        assertThat(r.counts().answered()).isEqualTo(258);
        assertThat(r.counts().deadLettered()).isEqualTo(42);
        assertThat(r.clean()).isTrue();
        assertThat(r.latency().getTotalCount()).isEqualTo(300);
    }

    @Test
    void trainsCarryConsecutiveIdsAndALostOrDuplicatedSpectrumIsReported() throws Exception {
        Echo echo = new Echo();
        echo.dropId = "x-70";
        echo.duplicateId = "x-5";
        LoadRun run = new LoadRun(new LoadRun.Plan(ArrivalSchedule.xfel(16, 200), 0.05, 1_000_000, 0.5, 0), "x");
        LoadReport r = run.run(echo, echo);

        assertThat(echo.sent).hasSize(10);
        assertThat(echo.sent.get(1).ids()).hasSize(16).startsWith("x-16").endsWith("x-31");
        assertThat(r.counts().sent()).isEqualTo(160);
        assertThat(r.counts().lost()).isEqualTo(1);
        assertThat(r.counts().duplicated()).isEqualTo(1);
        assertThat(r.clean()).isFalse();
    }

    @Test
    void replayIsBoundedByItsCount() throws Exception {
        Echo echo = new Echo();
        LoadReport r = new LoadRun(new LoadRun.Plan(ArrivalSchedule.replay(), 60, 500, 5, 0), "r").run(echo, echo);
        assertThat(echo.sent).hasSize(500);
        assertThat(r.counts().answered()).isEqualTo(500);
        assertThat(r.clean()).isTrue();
    }
}
