package io.xasstream.loadtests.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.xasstream.common.kafka.KafkaClients;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The Python peer's answers: one JSON object per spectrum on its topic, a result or {@code {"spectrumId", "error"}}
 * (its dead letter), read from the topic's end as it was when this source was made.
 */
public final class PeerAnswers implements LoadRun.Source {
    /** Python's json writes NaN for a missing score. */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final KafkaConsumer<byte[], byte[]> consumer;

    public PeerAnswers(KafkaClients clients, String topic) {
        this.consumer = new KafkaConsumer<>(clients.consumer("loadgen-peer-answers", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @Override
    public void poll(Ledger ledger, Duration timeout) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            long now = System.nanoTime();
            JsonNode answer;
            try {
                answer = JSON.readTree(r.value());
            } catch (IOException e) {
                ledger.unmatchedDeadLetter();
                continue;
            }
            String id = answer.path("spectrumId").isTextual() ? answer.get("spectrumId").asText() : null;
            if (answer.has("error")) {
                if (id == null) {
                    ledger.unmatchedDeadLetter();
                } else {
                    ledger.deadLettered(id, now);
                }
            } else {
                ledger.answered(id, now);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
