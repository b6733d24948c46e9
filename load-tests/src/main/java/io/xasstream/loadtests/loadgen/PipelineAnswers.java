package io.xasstream.loadtests.loadgen;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.loadtests.Offsets;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The service's answers: committed results ({@code xas.results}) and dead letters ({@code xas.rejected}), read from
 * their ends as they were when this source was made. A dead letter that names no spectrum (a whole record refused)
 * answers every spectrum of its original record.
 */
public final class PipelineAnswers implements LoadRun.Source {
    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final LeadingId resultId = new LeadingId(InferenceResult.getClassSchema());
    private final LeadingId rejectedId = new LeadingId(RejectedSpectrum.getClassSchema());

    public PipelineAnswers(KafkaClients clients, Topics topics) {
        this.topics = topics;
        this.consumer = Offsets.readerAtEnd(clients, "loadgen-answers", topics.results.name(),
                topics.rejected.name());
    }

    @Override
    public void poll(Ledger ledger, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            long now = System.nanoTime();
            if (r.topic().equals(topics.results.name())) {
                String id = resultId.read(r.value());
                ledger.answered(id != null ? id : topics.results.valueSerde().deserializer()
                        .deserialize(r.topic(), r.value()).getSpectrumId(), now);
            } else {
                deadLetter(ledger, r, now);
            }
        }
    }

    private void deadLetter(Ledger ledger, ConsumerRecord<byte[], byte[]> r, long now) {
        String id = rejectedId.read(r.value());
        if (id != null) {
            ledger.deadLettered(id, now);
            return;
        }
        RejectedSpectrum dead = topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value());
        if (dead.getSpectrumId() != null) {
            ledger.deadLettered(dead.getSpectrumId(), now);
            return;
        }
        List<String> ids = originalIds(dead.getOriginal());
        if (ids.isEmpty()) {
            ledger.unmatchedDeadLetter();
        }
        ids.forEach(i -> ledger.deadLettered(i, now));
    }

    /** The spectrum ids of a refused record, read from its original bytes; empty when they cannot be read. */
    private List<String> originalIds(ByteBuffer original) {
        byte[] bytes = new byte[original.remaining()];
        original.duplicate().get(bytes);
        try {
            SpecificRecord value = topics.spectra.valueSerde().deserializer().deserialize(topics.spectra.name(),
                    bytes);
            if (value instanceof Spectrum s) {
                return List.of(s.getSpectrumId());
            }
            if (value instanceof SpectrumBatch b) {
                return b.getSpectrumIds();
            }
        } catch (RuntimeException e) {
            // an undecodable original (truncated at 1 MiB, or never a spectrum): counted as unmatched
        }
        return List.of();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
