package io.xasstream.loadtests.pipeline;

import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.loop.InferenceLoop;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.loadtests.Offsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka floor: the backlog's records consumed and answered in transactions by plain kafka-clients, with no
 * decoding and no inference — what the pipeline costs when ONNX and our code cost nothing. It keeps what the
 * inference service does with Kafka: the same client properties (from {@link KafkaClients}, as
 * {@code InferenceService.start} builds them: read_committed, max.poll.records = inference.max-batch, the
 * transactional producer), batches of up to inference.max-batch spectra, a poll thread handing batches to a commit
 * thread through a queue of {@link #COMMIT_QUEUE}, which commits all it holds in one transaction, and per spectrum
 * one record of a real result's size (the bytes of a result of this run), its offsets in the same transaction.
 */
public final class KafkaFloor {
    /** Batches waiting for the commit thread: the inference loop's own commit queue. */
    static final int COMMIT_QUEUE = InferenceLoop.COMMIT_QUEUE;
    private static final String GROUP = "xas-bench-floor";

    /**
     * @param copied    spectra answered in all
     * @param timed     of which timed: those after the first read (start-up is not throughput)
     * @param perSecond timed spectra per second, from the first answer read to the last
     * @param cpu       CPU by thread (ns) over the timed part
     * @param answerBytes the size of each answer
     */
    public record Result(long copied, long timed, double perSecond, Map<String, Long> cpu, int answerBytes) {
    }

    private record Batch(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets,
                         ConsumerGroupMetadata group) {
    }

    private final XasConfig cfg;
    private final KafkaClients clients;
    private final BlockingQueue<Batch> toCommit = new ArrayBlockingQueue<>(COMMIT_QUEUE);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    public KafkaFloor(XasConfig cfg, KafkaClients clients) {
        this.cfg = cfg;
        this.clients = clients;
    }

    /**
     * Copies the records of {@code input} from {@code from} to {@code until} (per partition) into {@code output},
     * {@code spectraPerRecord} answers of {@code answer}'s bytes per record, and times it.
     */
    public Result run(Topic<String, ?> input, Topic<String, byte[]> output, Map<TopicPartition, Long> from,
                      Map<TopicPartition, Long> until, int spectraPerRecord, byte[] answer) throws Exception {
        long records = 0;
        for (Map.Entry<TopicPartition, Long> e : until.entrySet()) {
            records += e.getValue() - from.getOrDefault(e.getKey(), 0L);
        }
        long spectra = records * spectraPerRecord;
        try (Admin admin = clients.admin()) {
            Offsets.startGroupAt(admin, GROUP, from);
        }
        try (KafkaConsumer<byte[], byte[]> reader = Offsets.readerAtEnd(clients, "floor-reader", output.name())) {
            Thread committer = new Thread(() -> commitLoop(output.name(), spectraPerRecord, answer), "floor-commit");
            Thread poller = new Thread(() -> pollLoop(input.name(), from, until, spectraPerRecord), "floor-poll");
            committer.start();
            poller.start();
            BacklogClock clock = new BacklogClock();
            Map<String, Long> cpuBefore = Map.of();
            while (clock.seen() < spectra && failure.get() == null) {
                if (clock.poll(reader)) {
                    cpuBefore = ThreadCpu.byName();
                }
            }
            double perSecond = clock.perSecond();
            Map<String, Long> cpu = ThreadCpu.since(cpuBefore);
            running = false;
            poller.join(30_000);
            committer.join(30_000);
            if (failure.get() != null) {
                throw new IllegalStateException("the Kafka floor failed", failure.get());
            }
            return new Result(clock.seen(), clock.timed(), perSecond, cpu, answer.length);
        }
    }

    /** Poll → batches of up to max-batch spectra, handed over at once when the commit thread has room. */
    private void pollLoop(String topic, Map<TopicPartition, Long> from, Map<TopicPartition, Long> until,
                          int spectraPerRecord) {
        int maxBatch = cfg.get(InferenceSettings.MAX_BATCH);
        int perBatch = Math.max(1, (maxBatch + spectraPerRecord - 1) / spectraPerRecord); // records, as the loop
        Properties p = clients.consumer("floor", GROUP);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxBatch));
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Duration maxWait = Duration.ofMillis(cfg.get(InferenceSettings.MAX_WAIT_MS));
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Set<TopicPartition> done = new HashSet<>();
            until.forEach((tp, end) -> {
                if (end <= from.getOrDefault(tp, 0L)) {
                    done.add(tp); // nothing of the backlog on this partition
                }
            });
            Pending pending = new Pending();
            while (running && done.size() < until.size()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(pending.records.isEmpty() ? maxWait
                        : Duration.ofMillis(1))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    Long end = until.get(tp);
                    if (end == null || r.offset() + 1 >= end) {
                        consumer.pause(List.of(tp));
                        if (end != null) {
                            done.add(tp);
                        }
                    }
                    if (end == null || r.offset() >= end) {
                        continue;
                    }
                    pending.add(r, tp);
                    if (pending.records.size() >= perBatch) {
                        toCommit.put(pending.batch(consumer)); // a full batch waits for room: Kafka holds the backlog
                        pending = new Pending();
                    }
                }
                if (!pending.records.isEmpty() && (done.size() >= until.size() ? putLast(pending, consumer)
                        : toCommit.offer(pending.batch(consumer)))) {
                    pending = new Pending();
                }
            }
            while (running) {
                Thread.sleep(10); // stay in the group until the last transaction is committed (it names this member)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }

    private boolean putLast(Pending pending, KafkaConsumer<byte[], byte[]> consumer) throws InterruptedException {
        toCommit.put(pending.batch(consumer));
        return true;
    }

    /** The batch being filled by the poll thread (its own, never shared until handed over). */
    private static final class Pending {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();

        void add(ConsumerRecord<byte[], byte[]> r, TopicPartition tp) {
            records.add(r);
            offsets.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }

        Batch batch(KafkaConsumer<byte[], byte[]> consumer) {
            return new Batch(List.copyOf(records), Map.copyOf(offsets), consumer.groupMetadata());
        }
    }

    /** Everything queued in one transaction: the answers, then the consumed offsets. */
    private void commitLoop(String topic, int spectraPerRecord, byte[] answer) {
        Properties p = clients.transactionalProducer("floor", "xas-bench-floor");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            List<Batch> group = new ArrayList<>();
            while (running || !toCommit.isEmpty()) {
                Batch first = toCommit.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.clear();
                group.add(first);
                toCommit.drainTo(group);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                producer.beginTransaction();
                for (Batch b : group) {
                    for (ConsumerRecord<byte[], byte[]> r : b.records()) {
                        for (int k = 0; k < spectraPerRecord; k++) {
                            producer.send(new ProducerRecord<>(topic, null, r.timestamp(), r.key(), answer));
                        }
                    }
                    offsets.putAll(b.offsets());
                }
                producer.sendOffsetsToTransaction(offsets, group.get(group.size() - 1).group());
                producer.commitTransaction();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure.compareAndSet(null, e);
        }
    }
}
