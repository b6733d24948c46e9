package io.xasstream.inference.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.schema.result.ModelRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3, on its own thread, owner of the transactional producer: assembles and encodes the results of inferred
 * batches, then sends results, shadow results, dead letters and the consumed offsets in ONE transaction (under load
 * several batches share one). A transaction that fails aborts; from then on nothing is committed until the poller has
 * rewound ({@link Fence}), so no offset can be committed past a record that was not answered.
 */
final class Committer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);

    private final Producer<byte[], byte[]> producer;
    private final BlockingQueue<Handoff> in;
    private final BlockingQueue<Fence> fences;
    private final Consumer<Notice> poller;
    private final Outputs outputs;
    private final XasMetrics metrics;
    private final Counter published;
    private final Timer transactions;
    private final Timer sendStep;
    private final Timer offsetsStep;
    private final Timer commitStep;
    private final Duration closeTimeout;
    private int aborts;
    private int abortsSeen;
    private int acceptFrom;

    /** @param poller where notices go: the poller's inbox */
    Committer(Producer<byte[], byte[]> producer, BlockingQueue<Handoff> in, BlockingQueue<Fence> fences,
              Consumer<Notice> poller, Outputs outputs, XasMetrics metrics, String role, String outputTopic,
              Duration closeTimeout) {
        this.producer = producer;
        this.in = in;
        this.fences = fences;
        this.poller = poller;
        this.outputs = outputs;
        this.metrics = metrics;
        this.published = metrics.published(outputTopic, role);
        this.transactions = metrics.transactionLatency(role);
        this.sendStep = metrics.transactionStep(role, "send");
        this.offsetsStep = metrics.transactionStep(role, "offsets");
        this.commitStep = metrics.transactionStep(role, "commit");
        this.closeTimeout = closeTimeout;
    }

    /** Registers the transactional id (fencing a zombie predecessor); called before this stage's thread starts. */
    void initTransactions() {
        producer.initTransactions();
    }

    @Override
    public void run() {
        List<InferredBatch> group = new ArrayList<>();
        try {
            boolean end = false;
            while (!end) {
                List<Handoff> taken = new ArrayList<>();
                taken.add(in.take());
                in.drainTo(taken); // under load, several batches share one transaction
                group.clear();
                for (Handoff h : taken) {
                    if (h instanceof InferredBatch b) {
                        group.add(b);
                    } else {
                        end = true;
                    }
                }
                commitAccepted(group);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the last resort of a stop that ran out of time
        } catch (RuntimeException | Error e) {
            // includes fencing (another instance took over our transactional id): continuing would duplicate
            poller.accept(new Notice.Failed(e));
        } finally {
            try {
                producer.close(closeTimeout);
            } catch (RuntimeException e) {
                LOG.warn("producer close: {}", e.toString());
            }
        }
    }

    /** Commits the batches of the current epoch, drops the others. */
    void commitAccepted(List<InferredBatch> group) {
        for (Fence f = fences.poll(); f != null; f = fences.poll()) {
            acceptFrom = Math.max(acceptFrom, f.epoch());
            abortsSeen = Math.max(abortsSeen, f.abortsSeen());
        }
        List<InferredBatch> accepted = new ArrayList<>(group.size());
        for (InferredBatch b : group) {
            if (abortsSeen == aborts && b.polled().epoch() >= acceptFrom) {
                accepted.add(b);
            }
        }
        if (accepted.size() < group.size()) {
            poller.accept(new Notice.Dropped(group.size() - accepted.size()));
        }
        if (!accepted.isEmpty()) {
            commit(accepted);
        }
    }

    private void commit(List<InferredBatch> group) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (InferredBatch b : group) {
            outcomes.addAll(encode(b, out));
            offsets.putAll(b.polled().offsets()); // batches are in order: the last offset per partition wins
        }
        long start = System.nanoTime();
        try {
            producer.beginTransaction();
            out.forEach(producer::send);
            long sent = System.nanoTime();
            producer.sendOffsetsToTransaction(offsets, group.get(group.size() - 1).polled().group());
            long offsetsAdded = System.nanoTime();
            producer.commitTransaction();
            long committedAt = System.nanoTime();
            sendStep.record(sent - start, TimeUnit.NANOSECONDS);
            offsetsStep.record(offsetsAdded - sent, TimeUnit.NANOSECONDS);
            commitStep.record(committedAt - offsetsAdded, TimeUnit.NANOSECONDS);
            transactions.record(committedAt - start, TimeUnit.NANOSECONDS);
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction aborted, the uncommitted batches will be processed again: {}", e.toString());
            producer.abortTransaction();
            aborts++;
            poller.accept(new Notice.Aborted(group.size()));
            return;
        }
        committed(outcomes);
        Map<TopicPartition, Long> next = new HashMap<>();
        offsets.forEach((tp, o) -> next.put(tp, o.offset()));
        poller.accept(new Notice.Committed(next, group.size(), outcomes.size()));
    }

    /** Results, shadow results and dead letters of one batch, in the order they are sent; returns its outcomes. */
    private List<Outcome> encode(InferredBatch b, List<ProducerRecord<byte[], byte[]>> out) {
        PolledBatch polled = b.polled();
        polled.refusals().forEach(r -> out.add(outputs.deadLetter(r)));
        b.shadow().ifPresent(shadow -> {
            // The shadow answers the same spectra; its own refusals are counted, never dead-lettered twice.
            List<Outcome> shadowOutcomes = shadow.models().results(shadow.inference());
            for (int i = 0; i < shadowOutcomes.size(); i++) {
                Outcome o = shadowOutcomes.get(i);
                if (o.isResult()) {
                    out.add(outputs.shadowResult(polled.origins().get(i), o.result()));
                } else {
                    metrics.rejected(o.rejection().reason()).increment();
                }
            }
        });
        List<Outcome> outcomes = b.live().models().results(b.live().inference());
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            out.add(o.isResult() ? outputs.result(polled.origins().get(i), o.result())
                    : outputs.deadLetter(polled.origins().get(i), o.input().spectrumId(), o.rejection()));
        }
        return outcomes;
    }

    private void committed(List<Outcome> outcomes) {
        Instant committed = Instant.now();
        for (Outcome o : outcomes) {
            if (o.isResult()) {
                published.increment();
                for (ModelRef m : o.result().getModels()) {
                    metrics.endToEndLatency(m.getId() + "@" + m.getVersion(), "received").record(
                            Duration.between(o.input().receivedAt(), committed));
                }
            } else {
                metrics.rejected(o.rejection().reason()).increment();
            }
        }
    }
}
