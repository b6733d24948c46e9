package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shadow model answers the same spectra into the shadow topic only; the live results are the live model's. */
class ShadowModelIT {
    private static final int SPECTRA = 300;

    @Test
    void everyLiveResultHasAShadowTwinFromTheShadowVersion(@TempDir Path tmp) throws Exception {
        Path shadowManifest = ManifestCopies.withVersion(tmp, "9.9.9-shadow");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("it")) {
            XasConfig config = InferenceServiceITSupport.configure(kafka, "inference.shadow-manifest",
                    shadowManifest.toString());
            Topics topics = new Topics(config);
            KafkaClients clients = new KafkaClients(config);
            try (InferenceService service = InferenceService.start(config, topics, clients, metrics, new Readiness(),
                    InferenceService.Target.live(config, topics));
                 var producer = new KafkaProducer<>(InferenceServiceITSupport.bulkProducer(config, "it"),
                         topics.spectra.keySerde().serializer(),
                         topics.spectra.valueSerde().serializer())) {
                for (int i = 0; i < SPECTRA; i++) {
                    producer.send(new ProducerRecord<>(topics.spectra.name(), "shadow/s",
                            Spectra.feCompact("spectrum-" + i, "shadow", "s")));
                }
                producer.flush();
                List<InferenceResult> live = InferenceServiceITSupport.read(config, topics.results, SPECTRA);
                List<InferenceResult> shadow = InferenceServiceITSupport.read(config, topics.resultsShadow, SPECTRA);
                // every model of the shadow manifest is labelled 9.9.9-shadow; the served ones never are
                assertThat(live).hasSize(SPECTRA).allMatch(r -> !r.getModels().isEmpty() && r.getModels().stream()
                        .noneMatch(m -> m.getVersion().equals("9.9.9-shadow")));
                assertThat(shadow).hasSize(SPECTRA).allMatch(r -> !r.getModels().isEmpty() && r.getModels().stream()
                        .allMatch(m -> m.getVersion().equals("9.9.9-shadow")));
                assertThat(shadow).extracting(InferenceResult::getSpectrumId)
                        .containsExactlyElementsOf(live.stream().map(InferenceResult::getSpectrumId).toList());
                assertThat(service.describeModels().getJsonArray("shadow")).isNotEmpty();
            }
        }
    }
}
