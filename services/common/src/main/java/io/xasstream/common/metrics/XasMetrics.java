package io.xasstream.common.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
