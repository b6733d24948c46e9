package io.xasstream.loadtests.loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.loadtests.Offsets;
import java.io.IOException;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

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
        this.consumer = Offsets.readerAtEnd(clients, "loadgen-peer-answers", topic);
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
