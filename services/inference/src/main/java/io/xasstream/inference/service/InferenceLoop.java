package io.xasstream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.serde.AvroDecodeException;
import io.xasstream.common.topics.Topic;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.inference.predict.SpectrumRecordInputs;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot path, as three stages on their own threads: (1) poll → decode → preprocess into a growing batch,
 * (2) one ONNX run per model, (3) results assembled and encoded, then results, dead letters and the consumed offsets
 * in ONE transaction.
 * A record is answered exactly once or dead-lettered with its reason; nothing is dropped.
 *
 * <p>Batching adapts to load: the next batch grows while the previous one is inferred and is handed over the moment
 * the inference stage is free, so a lone spectrum goes straight through and a backlog makes batches of
 * {@code inference.max-batch} spectra. Backpressure: when a full batch cannot be handed over, the assigned
 * partitions are paused (and resumed once it is taken); at most {@link #MAX_IN_FLIGHT} batches are in memory, so
 * memory stays bounded whatever the input rate: a slow model makes lag, not heap. A failed transaction aborts and
 * every partition is rewound to its last committed offset, so the batches in flight behind it are processed again,
 * not lost.
 */
public final class InferenceLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLoop.class);
    /** Poll timeout while a batch is waiting for the inference stage: short, so the batch keeps growing. */
    private static final Duration GROWING_POLL = Duration.ofMillis(1);
    private static final long STAGE_POLL_MS = 50;
    /** Batches waiting between inference and commit; several are committed in one transaction. */
    private static final int COMMIT_QUEUE = 4;
    /**
     * Most batches between poll and commit: one being inferred, a full commit queue, a transaction of a drained
     * queue plus one, and one being handed over. Memory is this many batches of {@code max.poll.records} at most.
     */
    public static final int MAX_IN_FLIGHT = 2 * COMMIT_QUEUE + 3;

    /** Everything the loop needs; the Kafka properties already carry bootstrap servers and security. */
    public record Settings(Properties consumer, Properties producer, Topic<String, SpecificRecord> input,
                           Topic<String, InferenceResult> output, Topic<String, RejectedSpectrum> rejected,
                           int maxMessageBytes, Duration maxWait, String service, String role,
                           Map<TopicPartition, Long> until, Topic<String, InferenceResult> shadowOutput) {
        /** A loop that runs until stopped (the live service). */
        public Settings(Properties consumer, Properties producer, Topic<String, SpecificRecord> input,
                        Topic<String, InferenceResult> output, Topic<String, RejectedSpectrum> rejected,
                        int maxMessageBytes, Duration maxWait, String service, String role) {
            this(consumer, producer, input, output, rejected, maxMessageBytes, maxWait, service, role, null, null);
        }
    }

    /** Spectra of one or more polls, the dead letters found while decoding them and the offsets they complete. */
    private static final class Batch {
        final int epoch;
        final Predictor.Prepared prepared;
        /** The same spectra prepared for the shadow models; null without a shadow. */
        final Predictor.Prepared shadowPrepared;
        final List<ConsumerRecord<byte[], byte[]>> origins = new ArrayList<>();
        final List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        int records;
        ConsumerGroupMetadata group;
        Predictor predictor;
        Predictor.Inferred inferred;
        Predictor shadowPredictor;
        Predictor.Inferred shadowInferred;
        List<Outcome> outcomes = List.of();

        Batch(int epoch, Predictor.Prepared prepared, Predictor.Prepared shadowPrepared) {
            this.epoch = epoch;
            this.prepared = prepared;
            this.shadowPrepared = shadowPrepared;
        }

        void add(SpectrumInput input, ConsumerRecord<byte[], byte[]> origin) {
            prepared.add(input);
            if (shadowPrepared != null) {
                shadowPrepared.add(input);
            }
            origins.add(origin);
        }
    }

    private final Settings settings;
    private record Fetched(ConsumerRecord<byte[], byte[]> record, Instant received) {
    }

    private final PredictorHolder models;
    private final PredictorHolder shadow;
    private final XasMetrics metrics;
    private final int maxBatch;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Counter consumed;
    private final Counter published;
    private final Counter pauses;
    private final io.micrometer.core.instrument.Timer transactions;
    private final io.micrometer.core.instrument.Timer sendStep;
    private final io.micrometer.core.instrument.Timer offsetsStep;
    private final io.micrometer.core.instrument.Timer commitStep;
    private final DistributionSummary batchSizes;
    // Stage hand-over: a synchronous queue, so a batch is only handed over when the inference stage waits for it.
    private final SynchronousQueue<Batch> toInfer = new SynchronousQueue<>();
    private final BlockingQueue<Batch> toCommit = new ArrayBlockingQueue<>(COMMIT_QUEUE);
    /** Batches handed over and not yet committed or dropped. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Bumped when a transaction aborts: batches of an older epoch are dropped, the consumer rewinds. */
    private final AtomicInteger epoch = new AtomicInteger();
    private final AtomicReference<Integer> rewind = new AtomicReference<>();
    /** Next offset to process per partition as last committed by this instance, and the first one it fetched. */
    private final Map<TopicPartition, Long> committedUpTo = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> firstFetched = new HashMap<>();
    /** Partitions paused because a bounded run reached their end (never resumed by backpressure). */
    private final Set<TopicPartition> ended = new HashSet<>();
    private volatile boolean running = true;
    private volatile boolean stagesRunning = true;
    private volatile Throwable failure;
    private volatile long answered;
    private volatile boolean finished;
    private Batch pending;
    /** Records of the last poll not yet in a batch (a poll may bring more spectra than one batch takes). */
    private final java.util.ArrayDeque<Fetched> fetched = new java.util.ArrayDeque<>();
    private int pollerEpoch;

    public InferenceLoop(Settings settings, PredictorHolder models, XasMetrics metrics) {
        this(settings, models, null, metrics);
    }

    /**
     * @param shadow models whose answers to the same spectra go to {@code settings.shadowOutput()} in the same
     *               transaction (never to the live results); null for none
     */
    public InferenceLoop(Settings settings, PredictorHolder models, PredictorHolder shadow, XasMetrics metrics) {
        this(settings, models, shadow, metrics, new KafkaConsumer<>(settings.consumer(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer()), new KafkaProducer<>(settings.producer(), new ByteArraySerializer(),
                new ByteArraySerializer()));
    }

    /** With given clients (tests use Kafka's mock consumer and producer); the loop owns and closes them. */
    InferenceLoop(Settings settings, PredictorHolder models, PredictorHolder shadow, XasMetrics metrics,
                  Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer) {
        if ((shadow == null) != (settings.shadowOutput() == null)) {
            throw new IllegalArgumentException("a shadow model needs a shadow output topic and vice versa");
        }
        this.settings = settings;
        this.models = models;
        this.shadow = shadow;
        this.metrics = metrics;
        Object max = settings.consumer().get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        this.maxBatch = max == null ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(max.toString());
        this.consumer = consumer;
        this.producer = producer;
        this.consumed = metrics.consumed(settings.input().name(), settings.role());
        this.published = metrics.published(settings.output().name(), settings.role());
        this.pauses = metrics.backpressurePauses(settings.role());
        this.transactions = metrics.transactionLatency(settings.role());
        this.sendStep = metrics.transactionStep(settings.role(), "send");
        this.offsetsStep = metrics.transactionStep(settings.role(), "offsets");
        this.commitStep = metrics.transactionStep(settings.role(), "commit");
        this.batchSizes = metrics.batchSize(settings.role());
        metrics.inFlightBatches(settings.role(), inFlight);
        metrics.bind(consumer);
        metrics.bind(producer);
    }

    @Override
    public void run() {
        Thread inferrer = new Thread(this::inferStage, settings.role() + "-infer");
        Thread committer = new Thread(this::commitStage, settings.role() + "-commit");
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(settings.input().name()), new Rebalance());
            inferrer.start();
            committer.start();
            while (running) {
                Integer r = rewind.getAndSet(null);
                if (r != null) {
                    rewindTo(r);
                }
                if (fetched.isEmpty()) {
                    // Fetch only when everything fetched is batched: Kafka, not the heap, holds the backlog.
                    try {
                        fetch(consumer.poll(pending == null ? settings.maxWait() : GROWING_POLL));
                    } catch (WakeupException e) {
                        if (running) {
                            throw e;
                        }
                        break;
                    }
                }
                fill();
                if (pending != null) {
                    handOver();
                }
                if (settings.until() != null && pending == null && fetched.isEmpty() && inFlight.get() == 0
                        && rewind.get() == null && reachedUntil()) {
                    running = false;
                    finished = true;
                }
            }
            if (failure == null) {
                // A clean stop answers what was already taken from Kafka (bounded wait; the rest is re-read later).
                drain(Duration.ofSeconds(20));
            }
        } catch (RuntimeException | Error e) {
            // Includes fencing (another instance took over our transactional id): continuing would duplicate.
            fail(e);
        } finally {
            stagesRunning = false;
            join(inferrer);
            join(committer);
            try {
                consumer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("consumer close: {}", e.toString());
            }
            try {
                producer.close(Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                LOG.warn("producer close: {}", e.toString());
            }
            assigned.clear();
            stopped.countDown();
        }
    }

    // ------------------------------------------------------------------ stage 1: poll, decode, preprocess

    private void fetch(ConsumerRecords<byte[], byte[]> records) {
        if (settings.until() != null) {
            records = boundedByUntil(records);
        }
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            fetched.add(new Fetched(r, received));
        }
    }

    /** Decodes and preprocesses fetched records into the pending batch until it holds max-batch spectra. */
    private void fill() {
        while (!fetched.isEmpty() && (pending == null || !full(pending))) {
            Fetched f = fetched.poll();
            if (pending == null) {
                pending = new Batch(pollerEpoch, models.current().predictor().newBatch(),
                        shadow == null ? null : shadow.current().predictor().newBatch());
            }
            ConsumerRecord<byte[], byte[]> r = f.record();
            consumed.increment();
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            firstFetched.putIfAbsent(tp, r.offset());
            pending.offsets.put(tp, new OffsetAndMetadata(r.offset() + 1));
            pending.records++;
            decode(r, f.received(), pending);
        }
    }

    private boolean full(Batch b) {
        return Math.max(b.prepared.size(), b.records) >= maxBatch;
    }

    /**
     * Hands the pending batch to the inference stage if it waits for one. A full batch that cannot be handed over
     * pauses the partitions until it can: Kafka holds the backlog, not the heap.
     */
    private void handOver() {
        if (offer(0)) {
            return;
        }
        if (!full(pending)) {
            return; // keep growing
        }
        Set<TopicPartition> paused = new HashSet<>(consumer.assignment());
        paused.removeAll(ended);
        consumer.pause(paused);
        pauses.increment();
        try {
            while (running && rewind.get() == null) {
                if (offer(STAGE_POLL_MS)) {
                    return;
                }
                // Keeps the group membership alive and runs rebalance callbacks; paused partitions return nothing
                // (a partition assigned meanwhile may: its records wait with the rest of the fetch).
                fetch(consumer.poll(Duration.ZERO));
            }
        } finally {
            Set<TopicPartition> resume = new HashSet<>(paused);
            resume.retainAll(consumer.assignment());
            resume.removeAll(ended);
            consumer.resume(resume);
        }
    }

    private boolean offer(long waitMs) {
        Batch b = pending;
        b.group = consumer.groupMetadata();
        inFlight.incrementAndGet();
        boolean taken;
        try {
            taken = waitMs == 0 ? toInfer.offer(b) : toInfer.offer(b, waitMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taken = false;
        }
        if (!taken) {
            inFlight.decrementAndGet();
            return false;
        }
        batchSizes.record(b.prepared.size());
        pending = null;
        return true;
    }

    /** Hands over what is pending and waits until every batch in flight is committed or dropped. */
    private void drain(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending != null && failure == null && rewind.get() == null && System.nanoTime() < deadline) {
            offer(STAGE_POLL_MS);
        }
        while (inFlight.get() > 0 && failure == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** After an aborted transaction: forget what is pending and re-read every partition from its last commit. */
    private void rewindTo(int newEpoch) {
        pending = null;
        fetched.clear();
        pollerEpoch = newEpoch;
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

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // Commit what we hold before another instance takes these partitions over.
            drain(Duration.ofSeconds(60));
            Integer r = rewind.getAndSet(null);
            if (r != null) {
                rewindTo(r);
            }
            // Fetched but not batched: not ours to answer any more (the new owner reads them from the commit).
            fetched.removeIf(f -> partitions.contains(new TopicPartition(f.record().topic(),
                    f.record().partition())));
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // Our generation is gone: nothing in flight may commit any more (it would be fenced anyway).
            pollerEpoch = epoch.incrementAndGet();
            pending = null;
            fetched.clear();
            drain(Duration.ofSeconds(60));
            rewind.set(null);
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned.addAll(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            assigned.removeAll(partitions);
            partitions.forEach(tp -> {
                committedUpTo.remove(tp);
                firstFetched.remove(tp);
                ended.remove(tp);
            });
        }
    }

    /** Adds the record's inputs (one, or the rows of a batch) or its dead letters. */
    private void decode(ConsumerRecord<byte[], byte[]> r, Instant received, Batch batch) {
        List<ProducerRecord<byte[], byte[]>> out = batch.out;
        int size = r.value() == null ? 0 : r.value().length;
        if (size > settings.maxMessageBytes()) {
            out.add(rejection(r, null, new SpectrumRejectedException(ReasonCode.MESSAGE_TOO_LARGE, size
                    + " bytes exceed serde.max-message-bytes = " + settings.maxMessageBytes())));
            return;
        }
        SpecificRecord value;
        try {
            value = settings.input().valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (value == null) {
                throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "empty (null) value");
            }
        } catch (AvroDecodeException e) {
            out.add(rejection(r, null, new SpectrumRejectedException(e.reason(), e.getMessage())));
            return;
        }
        try {
            if (value instanceof Spectrum s) {
                batch.add(SpectrumRecordInputs.from(s, received), r);
            } else if (value instanceof SpectrumBatch b) {
                for (SpectrumRecordInputs.Row row : SpectrumRecordInputs.from(b, received)) {
                    if (row.input() != null) {
                        batch.add(row.input(), r);
                    } else {
                        out.add(rejection(r, row.spectrumId(), row.rejection()));
                    }
                }
            }
        } catch (SpectrumRejectedException e) {
            String id = value instanceof Spectrum s ? s.getSpectrumId() : null;
            out.add(rejection(r, id, e));
        } catch (RuntimeException e) {
            // A record that decodes but breaks an assumption must not stop the partition.
            out.add(rejection(r, null, new SpectrumRejectedException(ReasonCode.MISSING_FIELD,
                    "unusable record: " + e)));
        }
    }


    // ------------------------------------------------------------------ stage 2: inference

    private void inferStage() {
        try {
            while (stagesRunning) {
                Batch b = toInfer.poll(STAGE_POLL_MS, TimeUnit.MILLISECONDS);
                if (b == null) {
                    continue;
                }
                if (b.epoch != epoch.get()) {
                    inFlight.decrementAndGet();
                    continue;
                }
                infer(b);
                while (!toCommit.offer(b, STAGE_POLL_MS, TimeUnit.MILLISECONDS)) {
                    if (!stagesRunning) {
                        return;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(e);
        }
    }

    /** ONNX only: this thread is the one that keeps ONNX Runtime busy; results are assembled by the next stage. */
    private void infer(Batch b) {
        b.predictor = models.current().predictor();
        b.inferred = b.predictor.run(preparedFor(b.predictor, b.prepared));
        models.closeRetired(); // no batch can run a retired model from here on
        if (shadow != null) {
            b.shadowPredictor = shadow.current().predictor();
            b.shadowInferred = b.shadowPredictor.run(preparedFor(b.shadowPredictor, b.shadowPrepared));
        }
    }

    /** The batch as prepared, or prepared again if a hot swap happened since: a whole batch goes to one version. */
    private static Predictor.Prepared preparedFor(Predictor current, Predictor.Prepared prepared) {
        return prepared.predictor() == current ? prepared : current.prepare(prepared.inputs());
    }

    /** Results, shadow results and dead letters of an inferred batch, encoded for the transaction. */
    private void encode(Batch b) {
        if (b.shadowInferred != null) {
            // The shadow answers the same spectra; its own refusals are counted, never dead-lettered twice.
            List<Outcome> shadowOutcomes = b.shadowPredictor.results(b.shadowInferred);
            for (int i = 0; i < shadowOutcomes.size(); i++) {
                Outcome o = shadowOutcomes.get(i);
                if (o.isResult()) {
                    b.out.add(new ProducerRecord<>(settings.shadowOutput().name(), null, timestamp(b.origins.get(i)),
                            b.origins.get(i).key(), settings.shadowOutput().valueSerde().serializer()
                            .serialize(settings.shadowOutput().name(), o.result())));
                } else {
                    metrics.rejected(o.rejection().reason()).increment();
                }
            }
        }
        List<Outcome> outcomes = b.predictor.results(b.inferred);
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            ConsumerRecord<byte[], byte[]> origin = b.origins.get(i);
            if (o.isResult()) {
                b.out.add(new ProducerRecord<>(settings.output().name(), null, timestamp(origin), origin.key(),
                        settings.output().valueSerde().serializer().serialize(settings.output().name(), o.result())));
            } else {
                b.out.add(rejection(origin, o.input().spectrumId(), o.rejection()));
            }
        }
        b.outcomes = outcomes;
    }

    // ------------------------------------------------------------------ stage 3: transactions

    private void commitStage() {
        List<Batch> group = new ArrayList<>();
        try {
            while (stagesRunning) {
                Batch first = toCommit.poll(STAGE_POLL_MS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.clear();
                group.add(first);
                toCommit.drainTo(group); // under load, several batches share one transaction
                int current = epoch.get();
                group.removeIf(b -> {
                    if (b.epoch != current) {
                        inFlight.decrementAndGet();
                        return true;
                    }
                    return false;
                });
                if (!group.isEmpty()) {
                    commit(group);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(e); // fencing and authorization (rethrown by commit) end the loop like any other failure
        }
    }

    private void commit(List<Batch> group) {
        group.forEach(this::encode);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        group.forEach(b -> offsets.putAll(b.offsets)); // batches are in order: the last offset per partition wins
        long start = System.nanoTime();
        try {
            producer.beginTransaction();
            for (Batch b : group) {
                for (ProducerRecord<byte[], byte[]> pr : b.out) {
                    producer.send(pr);
                }
            }
            long sent = System.nanoTime();
            producer.sendOffsetsToTransaction(offsets, group.get(group.size() - 1).group);
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
            rewind.set(epoch.incrementAndGet());
            inFlight.addAndGet(-group.size());
            return;
        }
        offsets.forEach((tp, o) -> committedUpTo.put(tp, o.offset()));
        Instant committed = Instant.now();
        long n = 0;
        for (Batch b : group) {
            n += b.outcomes.size();
            for (Outcome o : b.outcomes) {
                if (o.isResult()) {
                    published.increment();
                    for (ModelRef m : o.result().getModels()) {
                        metrics.endToEndLatency(ref(m), "received").record(
                                Duration.between(o.input().receivedAt(), committed));
                    }
                } else {
                    metrics.rejected(o.rejection().reason()).increment();
                }
            }
        }
        answered += n;
        inFlight.addAndGet(-group.size());
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
            if (e instanceof KafkaException) {
                LOG.error("inference loop stopped: {}", e.toString());
            } else {
                LOG.error("inference loop failed", e);
            }
        }
        running = false;
        consumer.wakeup();
    }

    private static void join(Thread t) {
        try {
            t.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ProducerRecord<byte[], byte[]> rejection(ConsumerRecord<byte[], byte[]> r, String spectrumId,
                                                     SpectrumRejectedException e) {
        RejectedSpectrum dead = Rejections.of(r, spectrumId, e.reason(), e.getMessage(), settings.service());
        return new ProducerRecord<>(settings.rejected().name(), null, timestamp(r), r.key(),
                settings.rejected().valueSerde().serializer().serialize(settings.rejected().name(), dead));
    }

    /**
     * A bounded run (replay): records at or after a partition's end offset are left unprocessed and uncommitted,
     * and that partition is paused, so a later run with the same bounds adds nothing.
     */
    private ConsumerRecords<byte[], byte[]> boundedByUntil(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> kept = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            long end = settings.until().getOrDefault(tp, 0L);
            List<ConsumerRecord<byte[], byte[]>> in = records.records(tp).stream().filter(r -> r.offset() < end)
                    .toList();
            if (!in.isEmpty()) {
                kept.put(tp, in);
            }
            if (in.size() < records.records(tp).size()) {
                consumer.seek(tp, end);
                consumer.pause(List.of(tp));
                ended.add(tp);
            }
        }
        return new ConsumerRecords<>(kept, Map.of());
    }

    private boolean reachedUntil() {
        if (assigned.isEmpty()) {
            return false;
        }
        for (TopicPartition tp : assigned) {
            if (consumer.position(tp) < settings.until().getOrDefault(tp, 0L)) {
                return false;
            }
        }
        return true;
    }

    /** True when a bounded run has processed everything up to its end offsets. */
    public boolean finished() {
        return finished;
    }

    /** The input's timestamp carries over to its answer; none (-1, pre-0.10 formats) lets the producer stamp it. */
    private static Long timestamp(ConsumerRecord<byte[], byte[]> r) {
        return r.timestamp() >= 0 ? r.timestamp() : null;
    }

    private static String ref(ModelRef m) {
        return m.getId() + "@" + m.getVersion();
    }

    /** Partitions currently assigned to this instance. */
    public Set<TopicPartition> assignment() {
        return Set.copyOf(assigned);
    }

    /** Spectra answered or dead-lettered so far (committed). */
    public long answered() {
        return answered;
    }

    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    public Throwable failure() {
        return failure;
    }

    /** Stops taking new records, lets the batches in flight commit (bounded wait) and closes the clients. */
    public void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await(40, TimeUnit.SECONDS);
    }
}
