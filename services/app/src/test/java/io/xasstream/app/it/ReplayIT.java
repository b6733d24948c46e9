package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.xasstream.app.Main;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Replaying 50,000 archived spectra through a second model version, while the live service runs: exactly one result
 * per spectrum in the versioned topic, nothing more on a repeat, and the live group's offsets untouched.
 */
class ReplayIT {
    private static final int SPECTRA = 50_000;

    @Test
    void replayThroughANewVersionIsExactlyOnceRepeatableAndLeavesTheLiveGroupAlone(@TempDir Path tmp)
            throws Exception {
        Path v2 = ManifestCopies.withVersion(tmp, "2.0.0-replay");
        JsonNode model = ManifestCopies.firstModel(v2);
        String modelRef = model.get("id").asText() + "@" + model.get("version").asText();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("it")) {
            XasConfig config = InferenceServiceITSupport.configure(kafka);
            Topics topics = new Topics(config);
            KafkaClients clients = new KafkaClients(config);
            // Given an archive of 50,000 spectra
            try (var producer = new KafkaProducer<>(InferenceServiceITSupport.bulkProducer(config, "it"),
                    topics.spectra.keySerde().serializer(), topics.spectra.valueSerde().serializer())) {
                var template = Spectra.feCompact("t", "archive", "s");
                List<Future<RecordMetadata>> sends =
                        new ArrayList<>();
                for (int i = 0; i < SPECTRA; i++) {
                    template.setSpectrumId("spectrum-" + i);
                    template.getSource().setSampleId("s" + (i % 16));
                    sends.add(producer.send(new ProducerRecord<>(topics.spectra.name(), "archive/s" + (i % 16),
                            template)));
                }
                InferenceServiceITSupport.awaitAll(sends);
            }
            String liveGroup = config.get(InferenceSettings.GROUP_ID);
            try (InferenceService live = InferenceService.start(config, topics, clients, metrics, new Readiness(),
                    InferenceService.Target.live(config, topics))) {
                // When the archive is replayed through version 2 while the live service runs
                String[] replay = {"replay", "-b", kafka.bootstrapServers(), "--model", modelRef, "--manifest",
                        v2.toString(), "--output", "xas.results.v2", "--from", "earliest", "-q",
                        "--set", "inference.execution-provider=cpu"};
                assertThat(run(replay)).contains("50000 spectra").contains("replayed 50000 spectra");

                // Then the versioned topic holds exactly one result per spectrum, all from version 2
                List<InferenceResult> results = InferenceServiceITSupport.read(config, topics.resultsFor("v2"),
                        SPECTRA);
                Map<String, Integer> counts = new HashMap<>();
                results.forEach(r -> counts.merge(r.getSpectrumId(), 1, Integer::sum));
                assertThat(counts).hasSize(SPECTRA);
                assertThat(counts.values()).allMatch(c -> c == 1);
                assertThat(results).allMatch(r -> r.getModels().get(0).getVersion().equals("2.0.0-replay"));

                // and repeating the replay adds nothing
                assertThat(run(replay)).contains(": 0 spectra");
                assertThat(InferenceServiceITSupport.read(config, topics.resultsFor("v2"), SPECTRA)).hasSize(SPECTRA);

                // and the live service answered the archive itself, in its own group, unaffected
                assertThat(InferenceServiceITSupport.readResults(config, topics, SPECTRA)).hasSize(SPECTRA);
                try (Admin admin = clients.admin()) {
                    Map<TopicPartition, OffsetAndMetadata> liveOffsets = admin.listConsumerGroupOffsets(liveGroup)
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    assertThat(liveOffsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
                            .isEqualTo(SPECTRA);
                }
            }
        }
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(args);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }
}
