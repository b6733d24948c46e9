package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.MeasurementMode;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `send` publishes spectrum files through a real (embedded) broker; the Avro records read back are the files. */
class SendCommandIT {
    private static EmbeddedKafka kafka;
    private static XasConfig config;
    private static Topics topics;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
        config = XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
        topics = new Topics(config);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicAdmin.ensure(admin, topics.all(), config);
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    static Path fixtures() {
        return Path.of(System.getProperty("xasstream.repo.root", "../.."),
                "services/common/src/test/resources/fixtures/spectra");
    }

    @Test
    void aDirectoryOfSpectrumFilesArrivesAsSpectrumRecordsKeyedByExperimentAndSample(@TempDir Path tmp)
            throws Exception {
        // Given the committed fixtures and one unreadable file among them
        Path dir = Files.createDirectory(tmp.resolve("in"));
        List<Path> fixtures;
        try (var s = Files.list(fixtures())) {
            fixtures = s.filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        for (Path f : fixtures) {
            Files.copy(f, dir.resolve(f.getFileName()));
        }
        Files.writeString(dir.resolve("zz_broken.xdi"), "# XDI/1.0\n# Column.1: energy eV\n# Column.2: mutrans\n"
                + "#---\n8900 0.1\n8901 x\n");

        // When they are sent with ids and a condition
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("send", "-b", kafka.bootstrapServers(), "--experiment", "exp-42", "--sample", "s-1",
                "--facility", "ESRF", "--beamline", "BM23", "--element", "Mn", "--condition", "potential=1.2V",
                "--quiet", dir.toString());

        // Then the broken file is reported with its line, the others are on the topic
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("zz_broken.xdi:6");
        assertThat(out.toString()).contains("sent " + fixtures.size() + " spectra to xas.spectra (1 failed)");

        List<ConsumerRecord<String, SpecificRecord>> records = readAll(fixtures.size());
        assertThat(records).hasSize(fixtures.size());
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isEqualTo("exp-42/s-1"));
        assertThat(records.stream().map(ConsumerRecord::partition).distinct()).hasSize(1);

        List<Spectrum> spectra = records.stream().map(r -> (Spectrum) r.value()).toList();
        assertThat(spectra).extracting(s -> s.getMetadata().get("file"))
                .containsExactlyElementsOf(fixtures.stream().map(p -> dir.resolve(p.getFileName()).toString()).toList());
        for (Spectrum s : spectra) {
            assertThat(s.getSource().getFacility()).isEqualTo("ESRF");
            assertThat(s.getEdge()).isEqualTo(AbsorptionEdge.K);
            assertThat(s.getConditions().get("potential").getValue()).isEqualTo(1.2);
            assertThat(s.getConditions().get("potential").getUnit()).isEqualTo("V");
            int n = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv().size();
            if (s.getChannels() != null) {
                assertThat(s.getChannels().getI0()).hasSize(n);
                assertThat(s.getMu()).isNull();
            } else {
                assertThat(s.getMu()).hasSize(n);
            }
        }
        // the raw-channel files travel as channels (the beamline's own data), the reference channel included
        Spectrum nio = spectra.stream().filter(s -> s.getMetadata().get("file").endsWith("nio_i0_itrans_irefer.xdi"))
                .findFirst().orElseThrow();
        assertThat(nio.getElement()).isEqualTo("Mn"); // --element overrides the header
        assertThat(nio.getMode()).isEqualTo(MeasurementMode.TRANSMISSION);
        assertThat(nio.getChannels().getIrefer()).isNotNull();
        assertThat(nio.getConditions()).containsKey("temperature");
    }

    private static List<ConsumerRecord<String, SpecificRecord>> readAll(int expected) {
        var props = new KafkaClients(config).consumer("it", "it-" + System.nanoTime());
        try (var consumer = new KafkaConsumer<>(props, topics.spectra.keySerde().deserializer(),
                topics.spectra.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topics.spectra.name()));
            List<ConsumerRecord<String, SpecificRecord>> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            return out;
        }
    }
}
