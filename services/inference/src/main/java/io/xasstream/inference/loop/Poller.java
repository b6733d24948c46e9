package io.xasstream.inference.loop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.xasstream.common.metrics.XasMetrics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Stage 1, owner of the consumer: poll, decode and preprocess into a growing batch, hand it over the moment the
 * inferrer is free, pause the partitions while a full batch waits (backpressure), and rewind after an aborted
 * transaction. Everything here belongs to the poller's thread; the other stages talk to it through its inbox.
 */
final class Poller {
    /** Poll timeout while a batch is waiting for the inferrer: short, so the batch keeps growing. */
    private static final Duration GROWING_POLL = Duration.ofMillis(1);
    private static final long HANDOVER_WAIT_MS = 50;
    /** Longest a revocation waits for the batches in flight to commit before the partitions go. */
    private static final Duration REVOKE_DRAIN = Duration.ofSeconds(60);

    private final LoopSettings settings;
    private final Consumer<byte[], byte[]> consumer;
    private final ModelSource models;
    private final Shadow shadow;
    private final SpectrumDecoder decoder;
    private final BlockingQueue<Handoff> toInfer;
    private final BlockingQueue<Notice> inbox;
    private final BlockingQueue<Fence> fences;
    private final int maxBatch;
    private final Counter consumed;
    private final Counter pauses;
    private final DistributionSummary batchSizes;
    /** Batches handed over and not yet settled (written by this thread only; read by the metrics gauge). */
    private final AtomicInteger inFlight;
    private final ArrayDeque<Fetched> fetched = new ArrayDeque<>();
    /** Next offset to process per partition as last committed by this instance, and the first one it fetched. */
    private final Map<TopicPartition, Long> committedUpTo = new HashMap<>();
    private final Map<TopicPartition, Long> firstFetched = new HashMap<>();
    /** Partitions paused because a bounded run reached their end (never resumed by backpressure). */
    private final Set<TopicPartition> ended = new HashSet<>();
    private final Set<TopicPartition> assigned = new HashSet<>();
    private Filling pending;
    private int epoch;
    private int abortsSeen;
    private boolean stopping;
    /** The other stages have ended: nothing in flight will settle any more, so there is nothing to wait for. */
    private boolean stagesEnded;
    /** Published for observers (readiness, progress); written by this thread only. */
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile long answered;
    private volatile Throwable failure;
    private volatile boolean finished;

    private record Fetched(ConsumerRecord<byte[], byte[]> record, Instant received) {
    }

    Poller(LoopSettings settings, Consumer<byte[], byte[]> consumer, ModelSource models, Shadow shadow,
           BlockingQueue<Handoff> toInfer, BlockingQueue<Notice> inbox, BlockingQueue<Fence> fences,
           XasMetrics metrics, AtomicInteger inFlight) {
        this.settings = settings;
        this.consumer = consumer;
        this.models = models;
        this.shadow = shadow;
        this.decoder = new SpectrumDecoder(settings.input(), settings.maxMessageBytes());
        this.toInfer = toInfer;
        this.inbox = inbox;
        this.fences = fences;
        this.maxBatch = settings.maxBatch();
        this.inFlight = inFlight;
        this.consumed = metrics.consumed(settings.input().name(), settings.role());
        this.pauses = metrics.backpressurePauses(settings.role());
        this.batchSizes = metrics.batchSize(settings.role());
    }

    /** Polls until stopped, failed or (bounded run) done; then commits what was taken, within {@code drain}. */
    void run(Duration drain) {
        consumer.subscribe(List.of(settings.input().name()), new Rebalance());
        while (!stopping) {
            try {
                step();
            } catch (WakeupException e) {
                readInbox(0); // stop() and a failing stage post their notice before they wake the consumer up
                if (!stopping) {
                    throw e;
                }
            }
        }
        if (failure == null) {
            // A clean stop answers what was already taken from Kafka (bounded wait; the rest is re-read later).
            drain(drain);
        }
    }

    private void step() {
        readInbox(0);
        if (stopping) {
            return;
        }
        if (fetched.isEmpty()) {
            // Fetch only when everything fetched is batched: Kafka, not the heap, holds the backlog.
            fetch(pending == null ? settings.maxWait() : GROWING_POLL);
        }
        fill();
        if (pending != null) {
            handOver();
        }
        if (pending == null && fetched.isEmpty() && inFlight.get() == 0
                && settings.bounds().reached(assigned, consumer::position)) {
            finished = true;
            stopping = true;
        }
    }

    private void fetch(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = settings.bounds().keep(consumer.poll(timeout), tp -> {
            consumer.seek(tp, settings.bounds().end(tp));
            consumer.pause(List.of(tp));
            ended.add(tp);
        });
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            fetched.add(new Fetched(r, received));
        }
    }

    /** Decodes and preprocesses fetched records into the pending batch until it holds max-batch spectra. */
    private void fill() {
        while (!fetched.isEmpty() && (pending == null || !pending.full(maxBatch))) {
            Fetched f = fetched.poll();
            if (pending == null) {
                pending = new Filling(epoch, models.modelSet().newBatch(),
                        shadow.models().map(s -> s.modelSet().newBatch()));
            }
            ConsumerRecord<byte[], byte[]> r = f.record();
            consumed.increment();
            firstFetched.putIfAbsent(new TopicPartition(r.topic(), r.partition()), r.offset());
            pending.taken(r);
            decoder.decode(r, f.received(), pending);
        }
    }

    /**
     * Hands the pending batch to the inferrer if it waits for one. A full batch that cannot be handed over pauses the
     * partitions until it can: Kafka holds the backlog, not the heap.
     */
    private void handOver() {
        if (offer(0) || !pending.full(maxBatch)) {
            return; // handed over, or not full: keep growing
        }
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        paused.removeAll(ended);
        consumer.pause(paused);
        pauses.increment();
        try {
            while (pending != null && !stopping) {
                if (offer(HANDOVER_WAIT_MS)) {
                    return;
                }
                readInbox(0); // an abort empties pending
                // Keeps the group membership alive and runs rebalance callbacks; paused partitions return nothing
                // (a partition assigned meanwhile may: its records wait with the rest of the fetch).
                fetch(Duration.ZERO);
            }
        } finally {
            Set<TopicPartition> resume = new HashSet<>(paused);
            resume.retainAll(consumer.assignment());
            resume.removeAll(ended);
            consumer.resume(resume);
        }
    }

    private boolean offer(long waitMs) {
        PolledBatch batch = pending.seal(consumer.groupMetadata());
        boolean taken;
        try {
            taken = toInfer.offer(batch, waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (taken) {
            inFlight.incrementAndGet();
            batchSizes.record(pending.size());
            pending = null;
        }
        return taken;
    }

    /** Hands over what is pending and waits until every batch in flight is committed or dropped. */
    private void drain(Duration timeout) {
        if (stagesEnded) {
            return; // e.g. the revocation when the consumer closes: what is in flight was dropped with the stages
        }
        Instant deadline = Instant.now().plus(timeout);
        while (pending != null && failure == null && Instant.now().isBefore(deadline)) {
            offer(HANDOVER_WAIT_MS);
            readInbox(0);
        }
        while (inFlight.get() > 0 && failure == null && Instant.now().isBefore(deadline)) {
            readInbox(HANDOVER_WAIT_MS);
        }
    }

    /** Acts on the notices of the other stages; waits up to {@code waitMs} for the first. */
    void readInbox(long waitMs) {
        try {
            for (Notice n = inbox.poll(waitMs, TimeUnit.MILLISECONDS); n != null; n = inbox.poll()) {
                handle(n);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private void handle(Notice n) {
        if (n instanceof Notice.Committed c) {
            committedUpTo.putAll(c.nextOffsets());
            inFlight.addAndGet(-c.batches());
            answered += c.spectra();
        } else if (n instanceof Notice.Dropped d) {
            inFlight.addAndGet(-d.batches());
        } else if (n instanceof Notice.Aborted a) {
            inFlight.addAndGet(-a.batches());
            abortsSeen++;
            newEpoch();
            rewind();
        } else if (n instanceof Notice.Failed f) {
            failed(f.cause());
        } else {
            stopping = true;
        }
    }

    /** Batches started before now are not to be committed any more. */
    private void newEpoch() {
        epoch++;
        if (!fences.offer(new Fence(epoch, abortsSeen))) {
            throw new IllegalStateException("fence queue full"); // cannot be: the committer reads it every batch
        }
    }

    /** After an aborted transaction: forget what is pending and re-read every partition from its last commit. */
    private void rewind() {
        pending = null;
        fetched.clear();
        for (TopicPartition tp : consumer.assignment()) {
            Long from = committedUpTo.getOrDefault(tp, firstFetched.get(tp));
            if (from != null) {
                consumer.seek(tp, from);
                if (ended.remove(tp)) {
                    consumer.resume(List.of(tp));
                }
            }
        }
    }

    void failed(Throwable e) {
        if (failure == null) {
            failure = e;
        }
        stopping = true;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Commit what we hold before another instance takes these partitions over.
            drain(REVOKE_DRAIN);
            // Fetched but not batched: not ours to answer any more (the new owner reads them from the commit).
            fetched.removeIf(f -> partitions.contains(new TopicPartition(f.record().topic(),
                    f.record().partition())));
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Our generation is gone: nothing in flight may commit any more (it would be fenced anyway).
            newEpoch();
            pending = null;
            fetched.clear();
            drain(REVOKE_DRAIN);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
            assignment = Set.copyOf(assigned);
        }

        private void forget(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            assignment = Set.copyOf(assigned);
            partitions.forEach(tp -> {
                committedUpTo.remove(tp);
                firstFetched.remove(tp);
                ended.remove(tp);
            });
        }
    }

    /** The inferrer and the committer have ended (called on this thread before the consumer closes). */
    void stagesEnded() {
        stagesEnded = true;
    }

    /** Forgets the assignment when the consumer is closed. */
    void closed() {
        assigned.clear();
        assignment = Set.of();
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    long answered() {
        return answered;
    }

    Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    boolean finished() {
        return finished;
    }
}
