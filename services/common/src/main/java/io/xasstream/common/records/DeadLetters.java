package io.xasstream.common.records;

import io.xasstream.core.ReasonCode;
import io.xasstream.schema.dlq.RejectedSpectrum;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;

/**
 * Dead-letter records, built the same way by every service and adapter: the original bytes (capped), where they
 * came from, the reason, its stage and a message.
 */
public final class DeadLetters {
    /** Oversized originals are kept in part so that a dead letter never exceeds the topic's message size. */
    public static final int MAX_ORIGINAL_BYTES = 1024 * 1024;

    private DeadLetters() {
    }

    /**
     * @param sourceTopic where the original came from (a topic, or e.g. "karabo:tcp://host:port" for a non-Kafka
     *                    source, with partition -1 and the train id as offset)
     * @param key         the original record key, may be null
     * @param value       the original bytes, may be null
     */
    public static RejectedSpectrum of(String sourceTopic, int partition, long offset, byte[] key, byte[] value,
                                      String spectrumId, ReasonCode reason, String message, String service) {
        byte[] original = value == null ? new byte[0] : value;
        byte[] kept = original.length > MAX_ORIGINAL_BYTES ? Arrays.copyOf(original, MAX_ORIGINAL_BYTES) : original;
        return RejectedSpectrum.newBuilder()
                .setSpectrumId(spectrumId)
                .setKey(key == null ? null : new String(key, StandardCharsets.UTF_8))
                .setSourceTopic(sourceTopic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setOriginal(ByteBuffer.wrap(kept))
                .setOriginalSize(original.length)
                .setReasonCode(reason.name())
                .setMessage(message == null ? "" : message)
                .setStage(reason.stage().name().toLowerCase(Locale.ROOT))
                .setService(service)
                .setRejectedAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                .build();
    }
}
