package io.xasstream.ingest.publish;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An idempotent producer of spectra, batches and dead letters for a source that cannot be re-read (the Karabo
 * bridge): sends are asynchronous, a failed send is logged and counted ({@link #failures()}), never retried by hand.
 */
public final class SpectraPublisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpectraPublisher.class);

    private final Topics topics;
    private final IngestMetrics metrics;
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicLong failures = new AtomicLong();

    public SpectraPublisher(KafkaClients clients, Topics topics, IngestMetrics metrics, String role) {
        this.topics = topics;
        this.metrics = metrics;
        this.producer = new KafkaProducer<>(clients.producer(role), new StringSerializer(), new ByteArraySerializer());
    }

    public void spectrum(String key, Spectrum s) {
        send(key, topics.spectra.name(), topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), s),
                1, null);
    }

    public void batch(String key, SpectrumBatch b) {
        send(key, topics.spectra.name(), topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), b),
                b.getCount(), null);
    }

    public void deadLetter(RejectedSpectrum r) {
        send(r.getKey(), topics.rejected.name(), topics.rejected.valueSerde().serializer()
                .serialize(topics.rejected.name(), r), 0, ReasonCode.valueOf(r.getReasonCode()));
    }

    private void send(String key, String topic, byte[] value, int spectra, ReasonCode reason) {
        producer.send(new ProducerRecord<>(topic, key, value), (md, e) -> {
            if (e != null) {
                failures.incrementAndGet();
                LOG.error("publishing to {} failed: {}", topic, e.toString());
            } else if (reason != null) {
                metrics.deadLetter(reason);
            } else {
                metrics.spectra(spectra);
            }
        });
    }

    /** Sends that failed after the producer's own retries. */
    public long failures() {
        return failures.get();
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
