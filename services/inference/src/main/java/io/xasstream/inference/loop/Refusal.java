package io.xasstream.inference.loop;

import io.xasstream.core.SpectrumRejectedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record (or one spectrum of it) refused before inference, to become a dead letter. */
record Refusal(ConsumerRecord<byte[], byte[]> origin, String spectrumId, SpectrumRejectedException reason) {
}
