package io.xasstream.dashboard.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.dashboard.TestResults;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * A replay topic written by a plain producer (default partitioner) over several partitions: the reader looks in
 * the partition the producer chose for each sample and returns exactly that sample's results, oldest first.
 */
class ReplayReaderIT {
    static final int PARTITIONS = 5;
    static final int SAMPLES = 8;
    static final int PER_SAMPLE = 20;

    @Test
    void eachSampleIsReadFromThePartitionTheProducerChoseWithAllItsResultsInOrder() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            XasConfig config = XasConfig.defaults().with(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "topics.partitions", "" + PARTITIONS));
            KafkaClients clients = new KafkaClients(config);
            Topics topics = new Topics(config);
            Topic<String, InferenceResult> replay = topics.resultsFor("v2");
            try (Admin admin = clients.admin()) {
                TopicAdmin.ensure(admin, List.of(replay), config);
            }
            Set<Integer> used = new HashSet<>();
            try (KafkaProducer<String, InferenceResult> producer = new KafkaProducer<>(clients.producer("test"),
                    replay.keySerde().serializer(), replay.valueSerde().serializer())) {
                for (int i = 0; i < PER_SAMPLE; i++) {
                    for (int s = 0; s < SAMPLES; s++) {
                        InferenceResult r = TestResults.result("exp", "s" + s, i, false);
                        RecordMetadata m = producer.send(new ProducerRecord<>(replay.name(), r.getKey().toString(),
                                r)).get(10, TimeUnit.SECONDS);
                        byte[] key = r.getKey().toString().getBytes(StandardCharsets.UTF_8);
                        assertThat(ReplayReader.partitionOf(key, PARTITIONS)).isEqualTo(m.partition());
                        used.add(m.partition());
                    }
                }
            }
            assertThat(used).as("samples spread over several partitions").hasSizeGreaterThan(1);

            ReplayReader reader = new ReplayReader(clients, topics, PER_SAMPLE);
            assertThat(reader.topics()).contains(replay.name());
            for (int s = 0; s < SAMPLES; s++) {
                JsonNode items = new ObjectMapper().readTree(reader.read(replay.name(), "exp", "s" + s));
                List<String> keys = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                items.forEach(item -> {
                    keys.add(item.get("key").asText());
                    ids.add(item.get("spectrumId").asText());
                });
                assertThat(keys).containsOnly(RecordKeys.of("exp", "s" + s));
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < PER_SAMPLE; i++) {
                    expected.add(TestResults.id("s" + s, i));
                }
                assertThat(ids).containsExactlyElementsOf(expected);
            }
        }
    }
}
