package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonObject;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.inference.service.ModelWatcher;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.model.ModelAction;
import io.xasstream.schema.model.ModelAnnouncement;
import io.xasstream.schema.result.InferenceResult;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new model version announced under load takes over with no gap and no spectrum answered by both versions. */
class HotSwapIT {
    private static final int SPECTRA = 4_000;

    @Test
    void announcedVersionTakesOverWithoutGapOrDoubleAnswers(@TempDir Path tmp) throws Exception {
        Path v2 = ManifestCopies.withVersion(tmp, "2.0.0-hotswap");
        // the Fe oxidation-state model: the one Fe model without a rival for its task, so it answers every spectrum
        // (Fe CN and PDF go to whichever of two models finds the spectrum more typical)
        String swapped = "m3d-fe-k-ox";
        JsonNode announced = ManifestCopies.model(v2, swapped);
        // served models have versions of their own; only the announced model's version changes
        String oldVersion = ManifestCopies.model(Spectra.repo("models/manifest.json"), swapped).get("version")
                .asText();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("it")) {
            // two sessions per model: batches of 64 are split across them while the new set loads beside the live one
            XasConfig config = InferenceServiceITSupport.configure(kafka, "inference.max-batch", "64",
                    "inference.sessions-per-model", "2");
            Topics topics = new Topics(config);
            KafkaClients clients = new KafkaClients(config);
            try (InferenceService service = InferenceService.start(config, topics, clients, metrics, new Readiness(),
                    InferenceService.Target.live(config, topics));
                 var producer = new KafkaProducer<>(InferenceServiceITSupport.bulkProducer(config, "it"),
                         topics.spectra.keySerde().serializer(),
                         topics.spectra.valueSerde().serializer());
                 var models = new KafkaProducer<>(clients.producer("it-models"), topics.models.keySerde().serializer(),
                         topics.models.valueSerde().serializer())) {
                // Given spectra streaming in at a steady pace
                String newVersion = announced.get("version").asText();
                int sent = 0;
                boolean announcedYet = false;
                long swappedAt = -1;
                // The stream goes on until the new version has answered for a while: loading and warming it takes
                // longer on a busy 2-core CI machine than streaming a fixed number of spectra does.
                while (sent < SPECTRA || swappedAt < 0 || sent < swappedAt + SPECTRA / 4) {
                    String sample = "s" + (sent % 4);
                    producer.send(new ProducerRecord<>(topics.spectra.name(), "swap/" + sample,
                            Spectra.feCompact("spectrum-" + sent, "swap", sample)));
                    sent++;
                    if (!announcedYet && sent == SPECTRA / 3) {
                        // When a new version is announced part-way through, once the live version is answering
                        producer.flush();
                        assertThat(InferenceServiceITSupport.readResults(config, topics, 100)).hasSizeGreaterThan(99);
                        models.send(new ProducerRecord<>(topics.models.name(), announced.get("id").asText(),
                                ModelAnnouncement.newBuilder().setModelId(announced.get("id").asText())
                                        .setVersion(newVersion)
                                        .setTask(announced.get("task").asText()).setElement("Fe")
                                        .setEdge(AbsorptionEdge.K).setSha256(announced.get("sha256").asText())
                                        .setUri(announced.get("file").asText()).setAction(ModelAction.ACTIVATE)
                                        .setAnnouncedAt(Instant.now().truncatedTo(ChronoUnit.MICROS))
                                        .setMetadata(Map.of(ModelWatcher.MANIFEST, v2.toString())).build())).get();
                        announcedYet = true;
                    }
                    if (sent % 200 == 0) {
                        Thread.sleep(50);
                        if (announcedYet && swappedAt < 0 && serves(service, swapped, newVersion)) {
                            swappedAt = sent;
                        }
                    }
                    assertThat(sent).as("the new version took over within the stream").isLessThan(20 * SPECTRA);
                }
                producer.flush();

                // Then every spectrum has exactly one result, and per sample the old version is never seen again
                List<InferenceResult> results = InferenceServiceITSupport.readResults(config, topics, sent);
                Map<String, Integer> perSpectrum = new HashMap<>();
                Map<String, List<String>> versionsPerSample = new LinkedHashMap<>();
                for (InferenceResult r : results) {
                    perSpectrum.merge(r.getSpectrumId(), 1, Integer::sum);
                    List<String> versions = r.getModels().stream().filter(m -> m.getId().equals(swapped))
                            .map(m -> m.getVersion()).toList();
                    assertThat(versions).as("one version of %s in %s", swapped, r.getSpectrumId()).hasSize(1);
                    versionsPerSample.computeIfAbsent(r.getKey(), k -> new ArrayList<>()).add(versions.get(0));
                }
                assertThat(perSpectrum).hasSize(sent);
                assertThat(perSpectrum.values()).allMatch(c -> c == 1);
                assertThat(versionsPerSample.values().stream().flatMap(List::stream).distinct())
                        .as("both versions answered").containsExactlyInAnyOrder(oldVersion, newVersion);
                for (List<String> versions : versionsPerSample.values()) {
                    // per sample (one partition, commit order): the old version, then only the new one
                    int firstNew = versions.indexOf(newVersion);
                    assertThat(firstNew).as("the new version answered this sample").isNotNegative();
                    assertThat(versions.subList(firstNew, versions.size())).containsOnly(newVersion);
                    assertThat(versions.subList(0, firstNew)).doesNotContain(newVersion);
                }
                // and the swapped-in set runs with the configured sessions too
                assertThat(servedModels(service).map(m -> m.getInteger("sessions"))).containsOnly(2);
            }
        }
    }

    private static boolean serves(InferenceService service, String id, String version) {
        return servedModels(service).anyMatch(m -> id.equals(m.getString("id"))
                && version.equals(m.getString("version")));
    }

    /** The live models as /models lists them. */
    private static Stream<JsonObject> servedModels(InferenceService service) {
        return service.describeModels().getJsonArray("models").stream().map(o -> (JsonObject) o);
    }
}
