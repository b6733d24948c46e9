package io.xasstream.inference.loop;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileException;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Topics, input records and Kafka's mock clients for the loop's tests: no broker, no network. */
final class LoopFixture {
    static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    final Topics topics = new Topics(XasConfig.defaults());
    final TopicPartition input = new TopicPartition(topics.spectra.name(), 0);
    final LogConsumer consumer = new LogConsumer();
    final MockProducer<byte[], byte[]> producer;

    LoopFixture() {
        this(new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    LoopFixture(MockProducer<byte[], byte[]> producer) {
        this.producer = producer;
    }

    /** Settings of a loop reading {@code maxBatch} records per poll. */
    LoopSettings.Builder settings(int maxBatch) {
        consumer.maxPoll = maxBatch;
        Properties consumerProps = new Properties();
        consumerProps.put("max.poll.records", String.valueOf(maxBatch));
        return LoopSettings.builder().consumer(consumerProps).producer(new Properties()).input(topics.spectra)
                .output(topics.results).rejected(topics.rejected).maxMessageBytes(16 << 20)
                .maxWait(Duration.ofMillis(5)).role("test");
    }

    /** Assigns the input partition once the loop subscribed, and puts {@code n} spectra s-0 ... on it. */
    void feed(int n) throws InterruptedException {
        await(() -> !consumer.subscription().isEmpty());
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(input));
            consumer.updateBeginningOffsets(Map.of(input, 0L));
        });
        append(n);
    }

    /** Appends spectra s-(size) ... to the partition's log. */
    void append(int n) {
        Spectrum s = spectrum();
        int first = consumer.log.size();
        for (int i = first; i < first + n; i++) {
            s.setSpectrumId("s-" + i);
            appendRaw(topics.spectra.valueSerde().serializer().serialize(input.topic(), s));
        }
    }

    void appendRaw(byte[] value) {
        consumer.log.add(new ConsumerRecord<>(input.topic(), 0, consumer.log.size(),
                "test/s".getBytes(StandardCharsets.UTF_8), value));
    }

    private static Spectrum spectrum() {
        try {
            var file = SpectrumFileReader.read(ROOT.resolve(
                    "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi"));
            return SpectrumRecords.fromFile(file, new SpectrumRecords.Context("x", "test", "test", "test", "s", null,
                    null, null, Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), Map.of()));
        } catch (SpectrumFileException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spectrum ids of the committed results on a topic, in commit order. */
    List<String> committedIds(Topic<String, InferenceResult> topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic.name()))
                .map(r -> ((InferenceResult) topic.valueSerde().deserializer().deserialize(r.topic(), r.value()))
                        .getSpectrumId())
                .toList();
    }

    long committedOn(String topic) {
        return producer.history().stream().filter(r -> r.topic().equals(topic)).count();
    }

    /** The input offset of the last committed transaction. */
    long lastCommittedOffset() {
        var commits = producer.consumerGroupOffsetsHistory();
        return commits.get(commits.size() - 1).values().iterator().next().get(input).offset();
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(2);
        }
    }

    /**
     * Kafka's mock consumer forgets records once polled; this one keeps a log and serves it from the position, as a
     * broker does, so a seek back re-delivers (at most max.poll.records = 64 per poll).
     */
    static final class LogConsumer extends MockConsumer<byte[], byte[]> {
        final List<ConsumerRecord<byte[], byte[]>> log = new CopyOnWriteArrayList<>();
        int maxPoll = 64;

        LogConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            super.poll(Duration.ZERO); // scheduled tasks (the rebalance), wakeups
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> out = new HashMap<>();
            for (TopicPartition tp : assignment()) {
                if (paused().contains(tp)) {
                    continue;
                }
                long position = position(tp);
                List<ConsumerRecord<byte[], byte[]>> records = log.stream().filter(r -> r.partition() == tp.partition()
                        && r.offset() >= position).limit(maxPoll).toList();
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
}
