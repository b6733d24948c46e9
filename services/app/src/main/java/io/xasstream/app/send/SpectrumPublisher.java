package io.xasstream.app.send;

import io.micrometer.core.instrument.Counter;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.common.topics.Topic;
import io.xasstream.schema.spectrum.Spectrum;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Publishes spectra to the spectra topic, keyed by experiment/sample so that a sample stays in order. */
public final class SpectrumPublisher implements AutoCloseable {
    private final Topic<String, SpecificRecord> topic;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final Counter published;

    public SpectrumPublisher(KafkaClients clients, Topic<String, SpecificRecord> topic, XasMetrics metrics,
                             String role) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(clients.producer(role), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        this.published = metrics == null ? null : metrics.published(topic.name(), role);
        if (metrics != null) {
            metrics.bind(producer);
        }
    }

    public Future<RecordMetadata> publish(Spectrum spectrum) {
        String key = RecordKeys.of(spectrum.getSource().getExperimentId(), spectrum.getSource().getSampleId());
        return producer.send(new ProducerRecord<>(topic.name(), key, spectrum), (md, e) -> {
            if (e == null && published != null) {
                published.increment();
            }
        });
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
