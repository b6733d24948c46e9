package io.xasstream.inference.loop;

import io.xasstream.common.topics.Topic;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.result.InferenceResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Everything the loop needs besides its models; the Kafka properties already carry bootstrap servers and security.
 * Built by name ({@link #builder()}); the optional parts have values that say "none", never null.
 *
 * @param service  the service named in dead letters
 * @param role     the role in metrics and thread names (inference, replay ...)
 * @param maxWait  longest an idle poll waits for records
 * @param bounds   where the run stops ({@link Bounds#none()} for the live service)
 */
public record LoopSettings(Properties consumer, Properties producer, Topic<String, SpecificRecord> input,
                           Topic<String, InferenceResult> output, Topic<String, RejectedSpectrum> rejected,
                           int maxMessageBytes, Duration maxWait, String service, String role, Bounds bounds) {
    public LoopSettings {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(rejected, "rejected");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(bounds, "bounds");
    }

    /** Most records one poll returns, which is also the most spectra in one batch. */
    public int maxBatch() {
        Object max = consumer.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
        return max == null ? ConsumerConfig.DEFAULT_MAX_POLL_RECORDS : Integer.parseInt(max.toString());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names every part; {@code maxWait} defaults to 5 ms, {@code service} to the role, bounds to none. */
    public static final class Builder {
        private Properties consumer;
        private Properties producer;
        private Topic<String, SpecificRecord> input;
        private Topic<String, InferenceResult> output;
        private Topic<String, RejectedSpectrum> rejected;
        private int maxMessageBytes = Integer.MAX_VALUE;
        private Duration maxWait = Duration.ofMillis(5);
        private String service;
        private String role;
        private Bounds bounds = Bounds.none();

        private Builder() {
        }

        public Builder consumer(Properties p) {
            consumer = p;
            return this;
        }

        public Builder producer(Properties p) {
            producer = p;
            return this;
        }

        public Builder input(Topic<String, SpecificRecord> t) {
            input = t;
            return this;
        }

        public Builder output(Topic<String, InferenceResult> t) {
            output = t;
            return this;
        }

        public Builder rejected(Topic<String, RejectedSpectrum> t) {
            rejected = t;
            return this;
        }

        public Builder maxMessageBytes(int bytes) {
            maxMessageBytes = bytes;
            return this;
        }

        public Builder maxWait(Duration d) {
            maxWait = d;
            return this;
        }

        public Builder service(String name) {
            service = name;
            return this;
        }

        public Builder role(String name) {
            role = name;
            return this;
        }

        public Builder bounds(Bounds b) {
            bounds = b;
            return this;
        }

        public LoopSettings build() {
            return new LoopSettings(consumer, producer, input, output, rejected, maxMessageBytes, maxWait,
                    service == null ? role : service, role, bounds);
        }
    }
}
