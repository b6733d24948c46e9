package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.loop.InferenceLoop;
import io.xasstream.inference.loop.LoopSettings;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.service.PredictorHolder;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * When inference falls behind, the loop pauses its partitions instead of buffering: batches in flight stay bounded,
 * and every spectrum is still answered exactly once, in order per sample.
 */
class BackpressureIT {
    private static final int SPECTRA = 1500;
    private static final int MAX_BATCH = 32;

    @Test
    void aSlowModelPausesThePartitionsAndLosesNothing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("it")) {
            XasConfig config = InferenceServiceITSupport.configure(kafka);
            Topics topics = new Topics(config);
            KafkaClients clients = new KafkaClients(config);
            // Given a model that takes 20 ms per run, far slower than the spectra arrive
            ModelRegistry registry = ModelRegistry.load(Spectra.repo("models/manifest.json"),
                    config.get(InferenceSettings.EXECUTION_PROVIDER), 1);
            PredictorHolder holder = new PredictorHolder(registry, Clock.systemUTC(), (model, batch, nanos) -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            var consumer = clients.consumer("it-backpressure", "it-backpressure");
            consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(MAX_BATCH));
            InferenceLoop loop = new InferenceLoop(LoopSettings.builder().consumer(consumer)
                    .producer(clients.transactionalProducer("it-backpressure", "it-backpressure"))
                    .input(topics.spectra).output(topics.results).rejected(topics.rejected)
                    .maxMessageBytes(config.get(XasConfig.MAX_MESSAGE_BYTES)).maxWait(Duration.ofMillis(5))
                    .service("it").role("it-backpressure").build(), holder, metrics);
            Thread t = new Thread(loop, "it-backpressure-poll");
            t.start();
            AtomicInteger maxInFlight = new AtomicInteger();
            try (var producer = new KafkaProducer<>(InferenceServiceITSupport.bulkProducer(config, "it"),
                    topics.spectra.keySerde().serializer(), topics.spectra.valueSerde().serializer())) {
                // When a burst arrives (two samples, interleaved)
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < SPECTRA; i++) {
                    String sample = i % 2 == 0 ? "a" : "b";
                    sends.add(producer.send(new ProducerRecord<>(topics.spectra.name(), "bp/" + sample,
                            Spectra.feCompact("bp-" + sample + "-" + i, "bp", sample))));
                }
                producer.flush();
                InferenceServiceITSupport.awaitAll(sends);
                long deadline = System.currentTimeMillis() + 240_000;
                while (loop.answered() < SPECTRA && System.currentTimeMillis() < deadline) {
                    double inFlight = metrics.meters().find("xas.inference.batches.in_flight").gauge().value();
                    maxInFlight.accumulateAndGet((int) inFlight, Math::max);
                    Thread.sleep(5);
                }
                // Then every spectrum is answered once, in order per sample
                List<InferenceResult> results = InferenceServiceITSupport.readResults(config, topics, SPECTRA);
                assertThat(results).hasSize(SPECTRA);
                assertThat(results.stream().map(InferenceResult::getSpectrumId).distinct()).hasSize(SPECTRA);
                Map<String, List<Integer>> bySample = results.stream().collect(Collectors.groupingBy(
                        InferenceResult::getKey, Collectors.mapping(r -> Integer.parseInt(
                                r.getSpectrumId().substring(r.getSpectrumId().lastIndexOf('-') + 1)),
                                Collectors.toList())));
                bySample.values().forEach(ids -> assertThat(ids).isSorted());
                // and the loop paused its partitions rather than taking the burst into memory
                assertThat(metrics.meters().find("xas.inference.backpressure.pauses").counter().count())
                        .isGreaterThan(0);
                // a bounded number of batches in flight, never the whole burst
                assertThat(maxInFlight.get()).isBetween(1, InferenceLoop.MAX_IN_FLIGHT);
                assertThat(metrics.batchSize("it-backpressure").max()).isLessThanOrEqualTo(MAX_BATCH + MAX_BATCH);
            } finally {
                loop.stop();
                t.join(30_000);
                holder.close();
            }
        }
    }
}
