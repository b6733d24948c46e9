package io.xasstream.inference.loop;

import io.xasstream.common.records.DeadLetters;
import io.xasstream.core.ReasonCode;
import io.xasstream.schema.dlq.RejectedSpectrum;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Dead-letter records of a consumed record: {@link DeadLetters} with the record's topic, partition and offset. */
final class Rejections {
    private Rejections() {
    }

    static RejectedSpectrum of(ConsumerRecord<byte[], byte[]> record, String spectrumId, ReasonCode reason,
                               String message, String service) {
        return DeadLetters.of(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                spectrumId, reason, message, service);
    }
}
