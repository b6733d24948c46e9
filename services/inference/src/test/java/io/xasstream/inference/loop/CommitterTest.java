package io.xasstream.inference.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The committer alone: what it commits, in which order, and what it refuses to commit after an abort. */
class CommitterTest {
    private final LoopFixture f = new LoopFixture();
    private final XasMetrics metrics = new XasMetrics("test");
    private final BlockingQueue<Fence> fences = new ArrayBlockingQueue<>(8);
    private final List<Notice> notices = new ArrayList<>();
    private final FakeModels models = new FakeModels("1", in -> !in.spectrumId().equals("refused"));
    private final Committer committer = new Committer(f.producer, new ArrayBlockingQueue<>(4), fences,
            notices::add, new Outputs(f.settings(16).build(), Shadow.none()), metrics, "test", "out",
            Duration.ofSeconds(1));
    private final MockProducer<byte[], byte[]> producer = f.producer;

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A batch of the given epoch: spectra with these ids at consecutive offsets from {@code offset}. */
    private InferredBatch batch(int epoch, long offset, String... ids) {
        ModelSet set = models.modelSet();
        ModelSet.Preparation p = set.newBatch();
        List<ConsumerRecord<byte[], byte[]>> origins = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            p.add(FakeModels.input(ids[i]));
            origins.add(new ConsumerRecord<>(f.input.topic(), 0, offset + i, "k".getBytes(), new byte[0]));
        }
        List<Refusal> refusals = List.of(new Refusal(new ConsumerRecord<>(f.input.topic(), 0, offset + ids.length,
                "k".getBytes(), new byte[0]), null, new SpectrumRejectedException(ReasonCode.DECODE_FAILED, "bad")));
        PolledBatch polled = new PolledBatch(epoch, p, Optional.empty(), origins, refusals,
                Map.of(f.input, new OffsetAndMetadata(offset + ids.length + 1)),
                new ConsumerGroupMetadata("g"));
        return new InferredBatch(polled, new InferredBatch.Run(set, set.run(p)), Optional.empty());
    }


    @Test
    void oneTransactionHoldsTheDeadLettersResultsAndOffsetsOfEveryBatchInIt() {
        producer.initTransactions();
        committer.commitAccepted(List.of(batch(0, 0, "a", "refused"), batch(0, 3, "b")));

        assertThat(producer.commitCount()).isEqualTo(1);
        // decode refusals first, then each batch's outcomes in input order; the last offset per partition wins
        assertThat(producer.history()).extracting(r -> r.topic()).containsExactly(f.topics.rejected.name(),
                f.topics.results.name(), f.topics.rejected.name(), f.topics.rejected.name(), f.topics.results.name());
        assertThat(f.lastCommittedOffset()).isEqualTo(5);
        assertThat(notices).containsExactly(new Notice.Committed(Map.of(f.input, 5L), 2, 3));
    }

    @Test
    void afterAnAbortNothingIsCommittedUntilThePollerHasRewound() {
        producer.initTransactions();
        producer.commitTransactionException = new KafkaException("broker hiccup");
        committer.commitAccepted(List.of(batch(0, 0, "a")));
        producer.commitTransactionException = null;
        assertThat(notices).containsExactly(new Notice.Aborted(1));

        // a batch handed over before the poller rewound must not commit past the aborted one
        committer.commitAccepted(List.of(batch(0, 2, "b")));
        // nor one of the new epoch before the fence that acknowledges the abort arrived
        fences.add(new Fence(1, 0));
        committer.commitAccepted(List.of(batch(1, 0, "a")));
        assertThat(producer.history()).isEmpty();
        assertThat(notices).containsExactly(new Notice.Aborted(1), new Notice.Dropped(1), new Notice.Dropped(1));

        // the poller's fence after the abort: the re-read batch commits, older epochs stay dropped
        fences.add(new Fence(2, 1));
        committer.commitAccepted(List.of(batch(1, 0, "stale"), batch(2, 0, "a")));
        assertThat(f.committedIds(f.topics.results)).containsExactly("a");
        assertThat(notices.subList(3, notices.size())).containsExactly(new Notice.Dropped(1),
                new Notice.Committed(Map.of(f.input, 2L), 1, 1));
    }
}
