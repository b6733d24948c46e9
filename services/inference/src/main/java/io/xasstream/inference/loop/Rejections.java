package io.xasstream.inference.loop;

import io.xasstream.core.ReasonCode;
import io.xasstream.schema.dlq.RejectedSpectrum;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Dead-letter records: the original bytes (capped), where they came from, the reason, stage and message. */
final class Rejections {
    /** Oversized originals are kept in part so that a dead letter never exceeds the topic's message size. */
    static final int MAX_ORIGINAL_BYTES = 1024 * 1024;

    private Rejections() {
    }

    static RejectedSpectrum of(ConsumerRecord<byte[], byte[]> record, String spectrumId, ReasonCode reason,
                               String message, String service) {
        byte[] value = record.value() == null ? new byte[0] : record.value();
        byte[] kept = value.length > MAX_ORIGINAL_BYTES ? Arrays.copyOf(value, MAX_ORIGINAL_BYTES) : value;
        return RejectedSpectrum.newBuilder()
                .setSpectrumId(spectrumId)
                .setKey(record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8))
                .setSourceTopic(record.topic())
                .setSourcePartition(record.partition())
                .setSourceOffset(record.offset())
                .setOriginal(ByteBuffer.wrap(kept))
                .setOriginalSize(value.length)
                .setReasonCode(reason.name())
                .setMessage(message == null ? "" : message)
                .setStage(reason.stage().name().toLowerCase(Locale.ROOT))
                .setService(service)
                .setRejectedAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .build();
    }
}
