package io.xasstream.inference.loop;

import static io.xasstream.inference.loop.LoopFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.core.ReasonCode;
import io.xasstream.inference.predict.SpectrumInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller alone, on Kafka's mock consumer and a fake model set, with the test as the inferrer (it takes batches)
 * and as the committer (it posts notices): what a batch carries, when the partitions pause, how an abort rewinds.
 */
class PollerTest {
    private final LoopFixture f = new LoopFixture();
    private final XasMetrics metrics = new XasMetrics("test");
    /** A hand-over only when the test waits for a batch, as the inferrer does when it is free. */
    private final BlockingQueue<Handoff> toInfer = new SynchronousQueue<>();
    private final BlockingQueue<Notice> inbox = new ArrayBlockingQueue<>(16);
    private final BlockingQueue<Fence> fences = new ArrayBlockingQueue<>(16);
    private final AtomicInteger inFlight = new AtomicInteger();
    private Thread thread;

    private void start(int maxBatch) {
        Poller poller = new Poller(f.settings(maxBatch).build(), f.consumer, new FakeModels("1"), Shadow.none(),
                toInfer, inbox, fences, metrics, inFlight);
        thread = new Thread(() -> poller.run(Duration.ZERO), "test-poller");
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        inbox.put(new Notice.Stop());
        f.consumer.wakeup();
        thread.join(10_000);
        assertThat(thread.isAlive()).as("poller stopped").isFalse();
        metrics.close();
    }

    private PolledBatch take() throws InterruptedException {
        Handoff h = toInfer.poll(60, TimeUnit.SECONDS);
        assertThat(h).as("a batch within 60 s").isInstanceOf(PolledBatch.class);
        return (PolledBatch) h;
    }

    private static List<String> ids(PolledBatch b) {
        return b.live().inputs().stream().map(SpectrumInput::spectrumId).toList();
    }

    private static List<Long> offsets(PolledBatch b) {
        return b.origins().stream().map(ConsumerRecord::offset).toList();
    }

    private static List<String> range(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "s-" + i).toList();
    }

    @Test
    void aBatchCarriesItsSpectraTheirRecordsAndTheOffsetItCompletes() throws Exception {
        start(8);
        // the whole log is there before the partition is assigned: the first poll sees all of it
        f.append(8);
        f.feed(0);

        PolledBatch b = take();

        assertThat(ids(b)).containsExactlyElementsOf(range(0, 8));
        assertThat(offsets(b)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(b.offsets().get(f.input).offset()).isEqualTo(8);
        assertThat(b.epoch()).isZero();
        assertThat(b.refusals()).isEmpty();
        await(() -> inFlight.get() == 1);
    }

    @Test
    void aFullBatchNobodyTakesPausesThePartitionAndTheBacklogStaysInKafka() throws Exception {
        start(4);
        f.feed(20);
        // Given no free inferrer, the first full batch waits: the partition is paused
        await(() -> !f.consumer.paused().isEmpty());
        assertThat(metrics.backpressurePauses("test").count()).isPositive();
        // and at most one batch and one poll beyond it left Kafka
        assertThat(f.consumer.position(f.input)).isLessThanOrEqualTo(8);

        // When the inferrer takes batches, each holds at most max-batch spectra, all in order, none twice
        List<String> taken = new ArrayList<>();
        while (taken.size() < 20) {
            PolledBatch b = take();
            assertThat(b.live().size()).isLessThanOrEqualTo(4);
            taken.addAll(ids(b));
        }
        assertThat(taken).containsExactlyElementsOf(range(0, 20));
        // Then, with nothing left waiting, the partition is resumed
        await(() -> f.consumer.paused().isEmpty());
    }

    @Test
    void anAbortRewindsToTheLastCommitInANewEpochAndFencesTheOldOne() throws Exception {
        start(4);
        f.append(12);
        f.feed(0);
        PolledBatch first = take();
        assertThat(first.offsets().get(f.input).offset()).isEqualTo(4);
        inbox.put(new Notice.Committed(Map.of(f.input, 4L), 1, 4));
        PolledBatch second = take();
        assertThat(offsets(second).get(0)).isEqualTo(4L);

        // When the transaction holding the second batch aborts
        inbox.put(new Notice.Aborted(1));

        // Then the committer is told to commit nothing of epoch 0, the abort acknowledged
        assertThat(fences.poll(60, TimeUnit.SECONDS)).isEqualTo(new Fence(1, 1));
        // and the next batch re-reads from the last commit (offset 4), in the new epoch
        PolledBatch again = take();
        assertThat(again.epoch()).isEqualTo(1);
        assertThat(offsets(again).get(0)).isEqualTo(4L);
        assertThat(ids(again).get(0)).isEqualTo("s-4");
    }

    @Test
    void aRecordThatCannotBeDecodedIsRefusedInItsBatchBetweenTheOthers() throws Exception {
        start(8);
        f.append(2);
        f.appendRaw("not avro".getBytes(StandardCharsets.UTF_8));
        f.append(2);
        f.feed(0);

        PolledBatch b = take();

        assertThat(offsets(b)).containsExactly(0L, 1L, 3L, 4L);
        assertThat(b.refusals()).singleElement().satisfies(r -> {
            assertThat(r.origin().offset()).isEqualTo(2L);
            assertThat(r.reason().reason()).isEqualTo(ReasonCode.DECODE_FAILED);
        });
        // the refused record's offset is completed by the batch: it is dead-lettered, never re-read
        assertThat(b.offsets().get(f.input).offset()).isEqualTo(5);
    }
}
