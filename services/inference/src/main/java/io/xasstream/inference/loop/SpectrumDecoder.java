package io.xasstream.inference.loop;

import io.xasstream.common.serde.AvroDecodeException;
import io.xasstream.common.topics.Topic;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.inference.predict.SpectrumRecordInputs;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Input records to spectra (one, or the rows of a batch) or refusals; a bad record never stops the partition. */
final class SpectrumDecoder {
    /** Where the decoded spectra and refusals of one record go. */
    interface Sink {
        void spectrum(SpectrumInput input, ConsumerRecord<byte[], byte[]> origin);

        void refused(Refusal refusal);
    }

    private final Topic<String, SpecificRecord> input;
    private final int maxMessageBytes;

    SpectrumDecoder(Topic<String, SpecificRecord> input, int maxMessageBytes) {
        this.input = input;
        this.maxMessageBytes = maxMessageBytes;
    }

    void decode(ConsumerRecord<byte[], byte[]> r, Instant received, Sink sink) {
        int size = r.value() == null ? 0 : r.value().length;
        if (size > maxMessageBytes) {
            sink.refused(new Refusal(r, null, new SpectrumRejectedException(ReasonCode.MESSAGE_TOO_LARGE, size
                    + " bytes exceed serde.max-message-bytes = " + maxMessageBytes)));
            return;
        }
        SpecificRecord value;
        try {
            value = input.valueSerde().deserializer().deserialize(r.topic(), r.value());
            if (value == null) {
                throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "empty (null) value");
            }
        } catch (AvroDecodeException e) {
            sink.refused(new Refusal(r, null, new SpectrumRejectedException(e.reason(), e.getMessage())));
            return;
        }
        try {
            spectra(r, value, received, sink);
        } catch (SpectrumRejectedException e) {
            String id = value instanceof Spectrum s ? s.getSpectrumId() : null;
            sink.refused(new Refusal(r, id, e));
        } catch (RuntimeException e) {
            // A record that decodes but breaks an assumption must not stop the partition.
            sink.refused(new Refusal(r, null, new SpectrumRejectedException(ReasonCode.MISSING_FIELD,
                    "unusable record: " + e)));
        }
    }

    private static void spectra(ConsumerRecord<byte[], byte[]> r, SpecificRecord value, Instant received, Sink sink)
            throws SpectrumRejectedException {
        if (value instanceof Spectrum s) {
            sink.spectrum(SpectrumRecordInputs.from(s, received), r);
        } else if (value instanceof SpectrumBatch b) {
            for (SpectrumRecordInputs.Row row : SpectrumRecordInputs.from(b, received)) {
                if (row.input() != null) {
                    sink.spectrum(row.input(), r);
                } else {
                    sink.refused(new Refusal(r, row.spectrumId(), row.rejection()));
                }
            }
        }
    }
}
