package io.xasstream.inference.loop;

import io.xasstream.common.topics.Topic;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.InferenceResult;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The one place that builds a produced record: the answer to an input keeps the input's key and timestamp, on the
 * results, shadow results or dead-letter topic.
 */
final class Outputs {
    private final Topic<String, InferenceResult> results;
    private final Optional<Topic<String, InferenceResult>> shadowResults;
    private final Topic<String, RejectedSpectrum> rejected;
    private final String service;

    Outputs(LoopSettings settings, Shadow shadow) {
        this.results = settings.output();
        this.shadowResults = shadow.output();
        this.rejected = settings.rejected();
        this.service = settings.service();
    }

    ProducerRecord<byte[], byte[]> result(ConsumerRecord<byte[], byte[]> origin, InferenceResult result) {
        return record(results, origin, result);
    }

    ProducerRecord<byte[], byte[]> shadowResult(ConsumerRecord<byte[], byte[]> origin, InferenceResult result) {
        return record(shadowResults.orElseThrow(() -> new IllegalStateException("no shadow output")), origin,
                result);
    }

    ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> origin, String spectrumId,
                                              SpectrumRejectedException e) {
        return record(rejected, origin, Rejections.of(origin, spectrumId, e.reason(), e.getMessage(), service));
    }

    ProducerRecord<byte[], byte[]> deadLetter(Refusal r) {
        return deadLetter(r.origin(), r.spectrumId(), r.reason());
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic,
                                                             ConsumerRecord<byte[], byte[]> origin, V value) {
        return new ProducerRecord<>(topic.name(), null, timestamp(origin), origin.key(),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** The input's timestamp carries over to its answer; none (-1, pre-0.10 formats) lets the producer stamp it. */
    private static Long timestamp(ConsumerRecord<byte[], byte[]> r) {
        return r.timestamp() >= 0 ? r.timestamp() : null;
    }
}
