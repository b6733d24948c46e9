package io.xasstream.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.xasstream.core.ReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The one holder of every meter: the Prometheus registry, JVM and Kafka binders, and our own meters with bounded
 * label sets (reason codes are an enum; topics come from the registry).
 */
public final class XasMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final Map<ReasonCode, Counter> rejected = new EnumMap<>(ReasonCode.class);

    public XasMetrics(String service) {
        registry.config().commonTags(Tags.of("service", service));
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        for (ReasonCode reason : ReasonCode.values()) {
            rejected.put(reason, Counter.builder("xas.records.rejected")
                    .description("Records sent to the dead-letter topic, by reason")
                    .tag("reason", reason.name()).tag("stage", reason.stage().name().toLowerCase())
                    .register(registry));
        }
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public MeterRegistry meters() {
        return registry;
    }

    /** Counter of records published to a topic by a role (send, demo, inference ...). */
    public Counter published(String topic, String role) {
        return Counter.builder("xas.records.published").description("Records published")
                .tag("topic", topic).tag("role", role).register(registry);
    }

    public Counter rejected(ReasonCode reason) {
        return rejected.get(reason);
    }

    /** Records consumed from a topic by a role. */
    public Counter consumed(String topic, String role) {
        return Counter.builder("xas.records.consumed").description("Records consumed")
                .tag("topic", topic).tag("role", role).register(registry);
    }

    /** Spectra per inference batch (after decoding; a SpectrumBatch contributes its rows). */
    public DistributionSummary batchSize(String role) {
        return DistributionSummary.builder("xas.inference.batch.size").description("Spectra per inference batch")
                .tag("role", role).publishPercentileHistogram().minimumExpectedValue(1.0)
                .maximumExpectedValue(100_000.0).register(registry);
    }

    /** Times the inference loop paused its partitions because a full batch waited for the inference stage. */
    public Counter backpressurePauses(String role) {
        return Counter.builder("xas.inference.backpressure.pauses")
                .description("Partition pauses: a full batch waited for the inference stage").tag("role", role)
                .register(registry);
    }

    /** Batches taken from Kafka and not yet committed (at most one per pipeline stage plus the commit queue). */
    public void inFlightBatches(String role, AtomicInteger inFlight) {
        Gauge.builder("xas.inference.batches.in_flight", inFlight, Number::doubleValue)
                .description("Batches between poll and commit").tag("role", role).register(registry);
    }

    /**
     * One step of an inference transaction: {@code send} (begin + the results handed to the producer), {@code offsets}
     * (consumed offsets added to the transaction) or {@code commit} (until the broker confirms). Says which round trip
     * a slow commit waited on.
     */
    public Timer transactionStep(String role, String step) {
        return Timer.builder("xas.inference.transaction.step").description("Time per step of an inference transaction")
                .tag("role", role).tag("step", step).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** Begin-to-committed time of one inference transaction (one or more batches). */
    public Timer transactionLatency(String role) {
        return Timer.builder("xas.inference.transaction.latency").description("Inference transaction commit time")
                .tag("role", role).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** ONNX run time of one batch for one model (model = id@version, bounded by the manifest). */
    public Timer inferenceLatency(String model) {
        return Timer.builder("xas.inference.latency").description("ONNX Runtime time per batch and model")
                .tag("model", model).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    /** Acquisition (or receipt) to result-committed latency per model. */
    public Timer endToEndLatency(String model, String from) {
        return Timer.builder("xas.inference.end_to_end.latency")
                .description("Time from spectrum acquisition/receipt to committed result").tag("model", model)
                .tag("from", from).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    /** Exposes a Kafka producer's own metrics (Micrometer's Kafka binder) until {@link #close()}. */
    public void bind(Producer<?, ?> producer) {
        KafkaClientMetrics m = new KafkaClientMetrics(producer);
        m.bindTo(registry);
        binders.add(m);
    }

    /** Exposes a Kafka consumer's own metrics (lag, fetch rates ...) until {@link #close()}. */
    public void bind(Consumer<?, ?> consumer) {
        KafkaClientMetrics m = new KafkaClientMetrics(consumer);
        m.bindTo(registry);
        binders.add(m);
    }

    /** Keeps a binder (e.g. Kafka Streams metrics) to close with the registry. */
    public void keep(AutoCloseable binder) {
        binders.add(binder);
    }

    @Override
    public void close() {
        for (AutoCloseable b : binders) {
            try {
                b.close();
            } catch (Exception e) {
                // closing meters must never stop a shutdown
            }
        }
        registry.close();
    }
}
