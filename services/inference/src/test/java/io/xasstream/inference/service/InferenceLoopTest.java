package io.xasstream.inference.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The loop's transaction logic against Kafka's mock clients: no broker, no network. */
class InferenceLoopTest {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    private static final int SPECTRA = 200;

    private final Topics topics = new Topics(XasConfig.load(null, Map.of(), Map.of()));
    private final TopicPartition input = new TopicPartition(topics.spectra.name(), 0);

    @Test
    void anAbortedTransactionRewindsToTheLastCommitSoNothingIsLostOrAnsweredTwice() throws Exception {
        LogConsumer consumer = new LogConsumer();
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        // Given a commit that fails once (a broker hiccup: KafkaException, not a fatal fencing)
        producer.commitTransactionException = new KafkaException("injected commit failure");
        try (XasMetrics metrics = new XasMetrics("test");
             PredictorHolder models = new PredictorHolder(ModelRegistry.load(ROOT.resolve("models/manifest.json"),
                     ExecutionDevice.CPU, 1), Clock.systemUTC())) {
            InferenceLoop loop = new InferenceLoop(settings(), models, null, metrics, consumer, producer);
            Thread t = new Thread(loop, "test-poll");
            t.start();
            try {
                await(() -> !consumer.subscription().isEmpty());
                consumer.schedulePollTask(() -> {
                    consumer.rebalance(List.of(input));
                    consumer.updateBeginningOffsets(Map.of(input, 0L));
                    addSpectra(consumer);
                });
                // When the first transaction aborts (batches behind it are in flight: 64 records per poll)
                await(producer::transactionAborted);
                producer.commitTransactionException = null;
                await(() -> loop.answered() >= SPECTRA);
            } finally {
                loop.stop();
                t.join(10_000);
            }
            // Then every spectrum has exactly one committed result, in order, and the offsets reach the end
            List<String> ids = producer.history().stream()
                    .filter(r -> r.topic().equals(topics.results.name()))
                    .map(r -> ((InferenceResult) topics.results.valueSerde().deserializer()
                            .deserialize(r.topic(), r.value())).getSpectrumId())
                    .toList();
            assertThat(ids).hasSize(SPECTRA);
            assertThat(ids).containsExactlyElementsOf(java.util.stream.IntStream.range(0, SPECTRA)
                    .mapToObj(i -> "s-" + i).toList());
            List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> commits = producer.consumerGroupOffsetsHistory();
            assertThat(commits.get(commits.size() - 1).values().iterator().next().get(input).offset())
                    .isEqualTo(SPECTRA);
            assertThat(loop.failure()).isNull();
        }
    }

    private void addSpectra(LogConsumer consumer) {
        try {
            var file = SpectrumFileReader.read(ROOT.resolve(
                    "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi"));
            Spectrum s = SpectrumRecords.fromFile(file, new SpectrumRecords.Context("x", "test", "test", "test",
                    "s", null, null, null, Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), Map.of()));
            for (int i = 0; i < SPECTRA; i++) {
                s.setSpectrumId("s-" + i);
                byte[] value = topics.spectra.valueSerde().serializer().serialize(input.topic(), s);
                consumer.log.add(new ConsumerRecord<>(input.topic(), 0, i, "test/s".getBytes(), value));
            }
        } catch (io.xasstream.common.io.SpectrumFileException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Kafka's mock consumer forgets records once polled; this one keeps a log and serves it from the position, as a
     * broker does, so a seek back re-delivers (64 records per poll).
     */
    static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        final List<ConsumerRecord<byte[], byte[]>> log = new java.util.concurrent.CopyOnWriteArrayList<>();

        LogConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            super.poll(Duration.ZERO); // scheduled tasks (the rebalance), wakeups
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new java.util.HashMap<>();
            for (TopicPartition tp : assignment()) {
                if (paused().contains(tp)) {
                    continue;
                }
                long position = position(tp);
                List<ConsumerRecord<byte[], byte[]>> records = log.stream().filter(r -> r.partition() == tp.partition()
                        && r.offset() >= position).limit(64).toList();
                if (!records.isEmpty()) {
                    out.put(tp, records);
                    seek(tp, records.get(records.size() - 1).offset() + 1);
                }
            }
            if (out.isEmpty()) {
                try {
                    wait(1); // releases the monitor, as a real poll would block
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new ConsumerRecords<>(out, Map.of());
        }
    }

    private InferenceLoop.Settings settings() {
        Properties consumer = new Properties();
        consumer.put("max.poll.records", "64");
        return new InferenceLoop.Settings(consumer, new Properties(), topics.spectra, topics.results,
                topics.rejected, 16 << 20, Duration.ofMillis(5), "test", "test");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(5);
        }
    }
}
