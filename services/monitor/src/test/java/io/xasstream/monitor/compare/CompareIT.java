package io.xasstream.monitor.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.monitor.SyntheticResultsAccess;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** compare reads two result topics on a real broker to their end and reports what the new model changed. */
class CompareIT {
    @Test
    void twoResultTopicsAreComparedSpectrumBySpectrum() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            XasConfig config = XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
            Topics topics = new Topics(config);
            Topic<String, InferenceResult> v2 = ResultTopics.resolve(topics, "xas.results.v2");
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicAdmin.ensure(admin, List.of(topics.results, v2), config);
            }
            var fixtures = new SyntheticResultsAccess();
            try (KafkaProducer<String, InferenceResult> producer = new KafkaProducer<>(
                    new KafkaClients(config).producer("compare-it"), topics.results.keySerde().serializer(),
                    topics.results.valueSerde().serializer())) {
                for (int i = 0; i < 20; i++) {
                    InferenceResult old = fixtures.cu2(i);
                    producer.send(new ProducerRecord<>(topics.results.name(), old.getKey(), old));
                    InferenceResult updated = InferenceResult.newBuilder(old).build();
                    if (i >= 15) { // the new model calls the last five Cu+
                        ClassEstimate ox = old.getOxidationState();
                        updated.setOxidationState(ClassEstimate.newBuilder(ox).setPredicted("+1").build());
                    }
                    producer.send(new ProducerRecord<>(v2.name(), updated.getKey(), updated));
                }
                producer.flush();
            }
            ResultComparison c = ResultComparison.read(new KafkaClients(config), topics.results, v2);
            assertThat(c.differences()).singleElement().satisfies(d -> {
                assertThat(d.matched()).isEqualTo(20);
                assertThat(d.oxidationChanged()).hasSize(5).allMatch(id -> id.compareTo("cuo-1-00015") >= 0);
                assertThat(d.cnChanged()).isEmpty();
                assertThat(d.meanAbsFirstShellDelta()).isZero();
            });
        }
    }
}
