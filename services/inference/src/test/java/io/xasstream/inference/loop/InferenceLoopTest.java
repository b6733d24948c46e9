package io.xasstream.inference.loop;

import static io.xasstream.inference.loop.LoopFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.schema.dlq.RejectedSpectrum;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's stages together on Kafka's mock clients and a fake model set: no broker, no ONNX. */
class InferenceLoopTest {
    private final XasMetrics metrics = new XasMetrics("test");
    private Thread thread;
    private InferenceLoop loop;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (loop != null && loop.isRunning()) {
            loop.stop();
        }
        if (thread != null) {
            thread.join(10_000);
        }
        metrics.close();
    }

    private InferenceLoop start(LoopFixture f, LoopSettings settings, ModelSource models, Shadow shadow) {
        loop = new InferenceLoop(settings, models, shadow, metrics, f.consumer, f.producer);
        thread = new Thread(loop, "test-poll");
        thread.start();
        return loop;
    }

    private static List<String> ids(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "s-" + i).toList();
    }

    @Test
    void anAbortedTransactionRewindsToTheLastCommitSoNothingIsLostOrAnsweredTwice() throws Exception {
        LoopFixture f = new LoopFixture();
        // Given a commit that fails once (a broker hiccup: KafkaException, not a fatal fencing)
        f.producer.commitTransactionException = new KafkaException("injected commit failure");
        start(f, f.settings(16).build(), new FakeModels("1"), Shadow.none());
        f.feed(200);
        // When the first transaction aborts (batches behind it are in flight: 16 records per poll)
        await(f.producer::transactionAborted);
        f.producer.commitTransactionException = null;
        await(() -> loop.answered() >= 200);
        loop.stop();
        // Then every spectrum has exactly one committed result, in order, and the offsets reach the end
        assertThat(f.committedIds(f.topics.results)).containsExactlyElementsOf(ids(0, 200));
        assertThat(f.lastCommittedOffset()).isEqualTo(200);
        assertThat(loop.failure()).isNull();
    }

    @Test
    void aFullBatchThatMustWaitPausesThePartitionUntilTheModelTakesIt() throws Exception {
        LoopFixture f = new LoopFixture();
        FakeModels slow = new FakeModels("1");
        slow.runs.drainPermits(); // Given a model that does not finish its first run yet
        start(f, f.settings(8).build(), slow, Shadow.none());
        f.feed(64);
        // When a full batch waits behind the one being inferred
        await(() -> !f.consumer.paused().isEmpty());
        // Then the partition is paused, the backlog stays in Kafka, and batches in flight are bounded
        assertThat(metrics.backpressurePauses("test").count()).isPositive();
        assertThat(metrics.meters().find("xas.inference.batches.in_flight").gauge().value())
                .isBetween(1.0, (double) InferenceLoop.MAX_IN_FLIGHT);
        // and once the model keeps up, the partition is resumed and everything is answered in order
        slow.runs.release(Integer.MAX_VALUE / 2);
        await(() -> loop.answered() >= 64);
        assertThat(f.consumer.paused()).isEmpty();
        assertThat(f.committedIds(f.topics.results)).containsExactlyElementsOf(ids(0, 64));
        assertThat(metrics.batchSize("test").max()).isLessThanOrEqualTo(8);
    }

    @Test
    void aBoundedRunAnswersUpToItsEndOffsetAndStopsByItself() throws Exception {
        LoopFixture f = new LoopFixture();
        LoopSettings bounded = f.settings(16).bounds(Bounds.until(Map.of(f.input, 30L))).build();
        start(f, bounded, new FakeModels("1"), Shadow.none());
        // Given 50 spectra, a replay bounded at offset 30
        f.feed(50);
        thread.join(60_000);
        // Then it finished by itself, with exactly the first 30 answered and committed
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.finished()).isTrue();
        assertThat(loop.answered()).isEqualTo(30);
        assertThat(f.committedIds(f.topics.results)).containsExactlyElementsOf(ids(0, 30));
        assertThat(f.lastCommittedOffset()).isEqualTo(30);
    }

    @Test
    void theShadowAnswersTheSameSpectraOnItsOwnTopicAndItsRefusalsAreNotDeadLettered() throws Exception {
        LoopFixture f = new LoopFixture();
        // Given a shadow model set that refuses every spectrum whose number ends in 0
        FakeModels shadow = new FakeModels("shadow", in -> !in.spectrumId().endsWith("0"));
        start(f, f.settings(16).build(), new FakeModels("live"), Shadow.of(shadow, f.topics.resultsShadow));
        f.feed(40);
        await(() -> loop.answered() >= 40);
        loop.stop();
        // Then the live results are all there, the shadow's too except its refusals, and no dead letter
        assertThat(f.committedIds(f.topics.results)).containsExactlyElementsOf(ids(0, 40));
        assertThat(f.committedIds(f.topics.resultsShadow))
                .containsExactlyElementsOf(ids(0, 40).stream().filter(id -> !id.endsWith("0")).toList());
        assertThat(f.committedOn(f.topics.rejected.name())).isZero();
    }

    @Test
    void badRecordsAndRefusedSpectraAreDeadLetteredWithTheirReasonBetweenAnsweredOnes() throws Exception {
        LoopFixture f = new LoopFixture();
        start(f, f.settings(16).build(), new FakeModels("1", in -> !in.spectrumId().equals("s-3")),
                Shadow.none());
        f.feed(2);
        f.appendRaw("not avro".getBytes(StandardCharsets.UTF_8));
        f.append(2);
        await(() -> loop.answered() >= 4);
        loop.stop();
        List<String> reasons = f.producer.history().stream().filter(r -> r.topic().equals(f.topics.rejected.name()))
                .map(r -> ((RejectedSpectrum) f.topics.rejected.valueSerde().deserializer()
                        .deserialize(r.topic(), r.value())).getReasonCode())
                .toList();
        assertThat(reasons).containsExactlyInAnyOrder("DECODE_FAILED", "NO_MODEL");
        assertThat(f.committedIds(f.topics.results)).containsExactly("s-0", "s-1", "s-4");
        assertThat(f.lastCommittedOffset()).isEqualTo(5);
    }

    @Test
    void stopDuringATransactionWaitsForItsCommitThenClosesBothClients() throws Exception {
        CountDownLatch inCommit = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // Given a broker that takes its time over the first commit
        MockProducer<byte[], byte[]> slowCommit = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public void commitTransaction() {
                inCommit.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.commitTransaction();
            }
        };
        LoopFixture f = new LoopFixture(slowCommit);
        start(f, f.settings(64).build(), new FakeModels("1"), Shadow.none());
        f.feed(10);
        assertThat(inCommit.await(60, TimeUnit.SECONDS)).isTrue();
        // When the loop is stopped while that transaction is open
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            try {
                loop.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(200);
        assertThat(stopping).as("stop waits for the open transaction").isNotDone();
        release.countDown();
        stopping.get(InferenceLoop.STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // Then the transaction committed, and the loop, its stages and both clients are closed
        assertThat(f.committedIds(f.topics.results)).containsExactlyElementsOf(ids(0, 10));
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.failure()).isNull();
        assertThat(slowCommit.closed()).isTrue();
        assertThat(f.consumer.closed()).isTrue();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("test-infer")
                || t.getName().equals("test-commit"));
    }

    @Test
    void aFencedProducerStopsTheLoopWithoutCommittingAnything() throws Exception {
        LoopFixture f = new LoopFixture();
        // Given another instance that took over our transactional id
        f.producer.commitTransactionException = new ProducerFencedException("a newer instance");
        start(f, f.settings(16).build(), new FakeModels("1"), Shadow.none());
        f.feed(20);
        thread.join(60_000);
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.failure()).isInstanceOf(ProducerFencedException.class);
        assertThat(f.producer.history()).isEmpty();
    }
}
