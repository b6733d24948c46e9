package io.xasstream.inference.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.serde.AvroDecodeException;
import io.xasstream.common.topics.Topic;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.inference.predict.Outcome;
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
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The hot path, on its own thread: poll a batch → decode → preprocess → infer (one ONNX run per model) → results and
 * dead letters and the consumed offsets in ONE transaction. A record is answered exactly once or dead-lettered with
 * its reason; nothing is dropped.
 *
 * <p>Memory stays bounded whatever the input rate: the loop only fetches what it has processed (max.poll.records,
 * fetch.max.bytes), and Kafka keeps the rest — a slow model makes lag, not heap.
 */
public final class InferenceLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceLoop.class);

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

    private final Settings settings;
    private final PredictorHolder models;
    private final PredictorHolder shadow;
    private final XasMetrics metrics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Set<TopicPartition> assigned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Counter consumed;
    private final Counter published;
    private final DistributionSummary batchSizes;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile long answered;
    private volatile boolean finished;

    public InferenceLoop(Settings settings, PredictorHolder models, XasMetrics metrics) {
        this(settings, models, null, metrics);
    }

    /**
     * @param shadow models whose answers to the same spectra go to {@code settings.shadowOutput()} in the same
     *               transaction (never to the live results); null for none
     */
    public InferenceLoop(Settings settings, PredictorHolder models, PredictorHolder shadow, XasMetrics metrics) {
        if ((shadow == null) != (settings.shadowOutput() == null)) {
            throw new IllegalArgumentException("a shadow model needs a shadow output topic and vice versa");
        }
        this.settings = settings;
        this.models = models;
        this.shadow = shadow;
        this.metrics = metrics;
        this.consumer = new KafkaConsumer<>(settings.consumer(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(settings.producer(), new ByteArraySerializer(), new ByteArraySerializer());
        this.consumed = metrics.consumed(settings.input().name(), settings.role());
        this.published = metrics.published(settings.output().name(), settings.role());
        this.batchSizes = metrics.batchSize(settings.role());
        metrics.bind(consumer);
        metrics.bind(producer);
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(settings.input().name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.addAll(partitions);
                }
            });
            while (running) {
                models.closeRetired();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.maxWait());
                if (settings.until() != null) {
                    records = boundedByUntil(records);
                }
                if (!records.isEmpty()) {
                    process(records);
                }
                if (settings.until() != null && reachedUntil()) {
                    running = false;
                    finished = true;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            // Another instance took over our transactional id, or we may not write: continuing would duplicate.
            failure = e;
            LOG.error("inference loop stopped: {}", e.toString());
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("inference loop failed", e);
        } finally {
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

    private void process(ConsumerRecords<byte[], byte[]> records) {
        PredictorHolder.Current live = models.current();
        Instant received = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<SpectrumInput> inputs = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> origins = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            consumed.increment();
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            decode(r, received, inputs, origins, out);
        }
        batchSizes.record(inputs.size());
        List<Outcome> outcomes = live.predictor().predict(inputs);
        if (shadow != null) {
            // The shadow answers the same spectra; its own refusals are counted, never dead-lettered twice.
            List<Outcome> shadowOutcomes = shadow.current().predictor().predict(inputs);
            for (int i = 0; i < shadowOutcomes.size(); i++) {
                Outcome o = shadowOutcomes.get(i);
                if (o.isResult()) {
                    out.add(new ProducerRecord<>(settings.shadowOutput().name(), null, origins.get(i).timestamp(),
                            origins.get(i).key(), settings.shadowOutput().valueSerde().serializer()
                            .serialize(settings.shadowOutput().name(), o.result())));
                } else {
                    metrics.rejected(o.rejection().reason()).increment();
                }
            }
        }
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            ConsumerRecord<byte[], byte[]> origin = origins.get(i);
            if (o.isResult()) {
                InferenceResult result = o.result();
                out.add(new ProducerRecord<>(settings.output().name(), null, origin.timestamp(), origin.key(),
                        settings.output().valueSerde().serializer().serialize(settings.output().name(), result)));
            } else {
                out.add(rejection(origin, o.input().spectrumId(), o.rejection()));
            }
        }
        try {
            producer.beginTransaction();
            for (ProducerRecord<byte[], byte[]> pr : out) {
                producer.send(pr);
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("transaction aborted, the batch will be processed again: {}", e.toString());
            producer.abortTransaction();
            rewind(records);
            return;
        }
        answered += outcomes.size();
        published.increment(outcomes.stream().filter(Outcome::isResult).count());
        Instant committed = Instant.now();
        for (Outcome o : outcomes) {
            if (o.isResult()) {
                for (ModelRef m : o.result().getModels()) {
                    metrics.endToEndLatency(ref(m), "received").record(
                            Duration.between(o.input().receivedAt(), committed));
                }
            } else {
                metrics.rejected(o.rejection().reason()).increment();
            }
        }
    }

    /** Adds the record's inputs (one, or the rows of a batch) or its dead letters. */
    private void decode(ConsumerRecord<byte[], byte[]> r, Instant received, List<SpectrumInput> inputs,
                        List<ConsumerRecord<byte[], byte[]>> origins, List<ProducerRecord<byte[], byte[]>> out) {
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
                inputs.add(SpectrumRecordInputs.from(s, received));
                origins.add(r);
            } else if (value instanceof SpectrumBatch b) {
                for (SpectrumRecordInputs.Row row : SpectrumRecordInputs.from(b, received)) {
                    if (row.input() != null) {
                        inputs.add(row.input());
                        origins.add(r);
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

    private ProducerRecord<byte[], byte[]> rejection(ConsumerRecord<byte[], byte[]> r, String spectrumId,
                                                     SpectrumRejectedException e) {
        RejectedSpectrum dead = Rejections.of(r, spectrumId, e.reason(), e.getMessage(), settings.service());
        return new ProducerRecord<>(settings.rejected().name(), null, r.timestamp(), r.key(),
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

    private void rewind(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            consumer.seek(tp, records.records(tp).get(0).offset());
        }
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

    /** Stops after the batch in progress (its transaction completes or aborts) and closes the clients. */
    public void stop() throws InterruptedException {
        running = false;
        consumer.wakeup();
        stopped.await(30, TimeUnit.SECONDS);
    }
}
