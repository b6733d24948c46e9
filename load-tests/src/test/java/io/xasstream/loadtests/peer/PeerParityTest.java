package io.xasstream.loadtests.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;
import static org.assertj.core.data.Percentage.withPercentage;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.inference.predict.Outcome;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.inference.predict.SpectrumInput;
import io.xasstream.inference.predict.SpectrumRecordInputs;
import io.xasstream.loadtests.Repo;
import io.xasstream.loadtests.records.BenchSpectra;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.ModelRef;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python peer does the same work as the service: the same records (Avro bytes as the topic carries them) through
 * peer.py and through the Java decoder and Predictor give the same answers — preprocessing (E0, edge step), the
 * answering model per task, and the ensembles' outputs to float32 rounding — and the same reason codes for spectra
 * no model takes. Skipped where Debian's Python packages are missing (.ci/run installs them).
 */
class PeerParityTest {
    /**
     * ONNX Runtime and PyTorch in float32, on inputs equal to the preprocessing twin's 1e-5: the largest differences
     * seen on these fixtures were 2e-7 (probabilities) and 6e-6 relative (pseudo-PDF); this leaves a margin of 15.
     */
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final String FIXTURES = "services/common/src/test/resources/fixtures/spectra/";

    @TempDir
    Path dir;

    @Test
    void thePeerAnswersTheFixturesAsTheServiceDoes() throws Exception {
        assumeThat(PeerProcess.unavailable()).as("Debian Python packages of the peer").isEmpty();
        Path repo = Repo.root();
        Topics topics = new Topics(XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", "127.0.0.1:1")));
        List<SpecificRecord> records = fixtures(repo);
        Path file = dir.resolve("records.bin");
        List<byte[]> values = new ArrayList<>();
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            for (SpecificRecord r : records) {
                byte[] value = topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), r);
                values.add(value);
                byte[] key = "parity/sample".getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeInt(value.length);
                out.write(value);
            }
        }
        List<Outcome> expected = javaOutcomes(repo, topics, values);
        List<JsonNode> answers = peer(repo, file);

        assertThat(answers).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Outcome e = expected.get(i);
            JsonNode a = answers.get(i);
            assertThat(a.path("spectrumId").asText()).isEqualTo(e.input().spectrumId());
            if (!e.isResult()) {
                assertThat(a.path("error").asText()).as(e.input().spectrumId())
                        .isEqualTo(e.rejection().reason().name());
                continue;
            }
            sameResult(e.result(), a);
        }
        assertThat(expected.stream().filter(Outcome::isResult).count()).as("answered fixtures").isGreaterThan(8);
        assertThat(expected.stream().filter(o -> !o.isResult()).count()).as("refused fixtures").isEqualTo(2);
    }

    private static void sameResult(InferenceResult e, JsonNode a) {
        String id = e.getSpectrumId();
        List<String> models = new ArrayList<>();
        a.path("models").forEach(m -> models.add(m.path("task").asText() + "=" + m.path("id").asText()));
        assertThat(models).as(id + " answering models").containsExactlyInAnyOrderElementsOf(e.getModels().stream()
                .map(m -> m.getTask() + "=" + m.getId()).toList());
        assertThat(a.path("preprocessing").path("e0Ev").asDouble()).as(id + " E0")
                .isCloseTo(e.getPreprocessing().getE0Ev(), offset(1e-6));
        assertThat(a.path("preprocessing").path("edgeStep").asDouble()).as(id + " edge step")
                .isCloseTo(e.getPreprocessing().getEdgeStep(), withPercentage(1e-4));
        sameClasses(id + " oxidation state", e.getOxidationState(), a.path("oxidationState"));
        sameClasses(id + " CN", e.getCoordinationNumber(), a.path("coordinationNumber"));
        if (e.getPdf() != null) {
            near(id + " pdf mean", e.getPdf().getMean(), a.path("pdf").path("mean"));
            near(id + " pdf std", e.getPdf().getStd(), a.path("pdf").path("std"));
            assertThat(a.path("firstShellDistance").path("mean").asDouble()).as(id + " distance")
                    .isCloseTo(e.getFirstShellDistance().getMean(), offset(TOLERANCE));
        } else {
            assertThat(a.has("pdf")).as(id + " no pdf").isFalse();
        }
        for (ModelRef m : e.getModels()) {
            var ood = e.getOodByTask().get(m.getTask());
            if (ood != null) {
                assertThat(a.path("oodByTask").path(m.getTask()).path("score").asDouble()).as(id + " OOD " + m.getTask())
                        .isCloseTo(ood.getScore(), offset(TOLERANCE * Math.max(1,
                                ood.getScore())));
            }
        }
        List<String> flags = new ArrayList<>();
        a.path("qualityFlags").forEach(f -> flags.add(f.asText()));
        assertThat(flags).as(id + " flags").containsExactlyInAnyOrderElementsOf(e.getQualityFlags());
    }

    private static void sameClasses(String what, ClassEstimate e, JsonNode a) {
        if (e == null) {
            assertThat(a.isMissingNode()).as(what + " absent").isTrue();
            return;
        }
        assertThat(a.path("predicted").asText()).as(what).isEqualTo(e.getPredicted());
        near(what + " probabilities", e.getProbabilities(), a.path("probabilities"));
        near(what + " probability std", e.getProbabilityStd(), a.path("probabilityStd"));
    }

    private static void near(String what, List<Float> expected, JsonNode actual) {
        assertThat(actual.size()).as(what + " length").isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i);
            assertThat(actual.get(i).asDouble()).as(what + "[" + i + "]")
                    .isCloseTo(e, offset(TOLERANCE * Math.max(1, Math.abs(e))));
        }
    }

    /** Every fixture with an element, a pulse train of the Fe one, and two spectra that no model takes. */
    private static List<SpecificRecord> fixtures(Path repo) throws Exception {
        List<SpecificRecord> out = new ArrayList<>();
        int n = 0;
        for (String name : List.of("fe2o3_i0_i1.xdi", "nio_i0_itrans_irefer.xdi", "ni_foil_i0_itrans_irefer.xdi",
                "cuo_i0_itrans_mutrans.xdi", "cu2o_athena_mutrans.xdi", "coal2o4_fluor_xdi11.xdi",
                "vo4_normtrans.xdi")) {
            var file = SpectrumFileReader.read(repo.resolve(FIXTURES + name));
            out.add(SpectrumRecords.fromFile(file, new SpectrumRecords.Context("parity-" + n++, "x", "b", "parity",
                    name, null, null, null, Instant.parse("2026-12-07T00:00:00Z"), Map.of(), Map.of())));
        }
        BenchSpectra fe = new BenchSpectra(SpectrumFileReader.read(repo.resolve(FIXTURES + "fe2o3_i0_i1.xdi")));
        SpectrumBatch train = fe.train("parity", 7, List.of("train-0", "train-1", "train-2"),
                Instant.parse("2026-12-07T00:00:01Z"), new Random(3));
        out.add(train);
        Spectrum unknown = fe.template("parity");
        unknown.setSpectrumId("no-such-element");
        unknown.setElement("Xx");
        out.add(unknown);
        Spectrum unserved = fe.template("parity");
        unserved.setSpectrumId("no-model");
        unserved.setElement("Pt");
        out.add(unserved);
        return out;
    }

    private static List<Outcome> javaOutcomes(Path repo, Topics topics, List<byte[]> values) throws Exception {
        List<SpectrumInput> inputs = new ArrayList<>();
        Instant now = Instant.now();
        for (byte[] v : values) {
            SpecificRecord r = topics.spectra.valueSerde().deserializer().deserialize(topics.spectra.name(), v);
            if (r instanceof Spectrum s) {
                inputs.add(SpectrumRecordInputs.from(s, now));
            } else {
                SpectrumRecordInputs.from((SpectrumBatch) r, now).forEach(row -> inputs.add(row.input()));
            }
        }
        try (ModelRegistry registry = ModelRegistry.load(repo.resolve("models/manifest.json"),
                SessionSettings.of(ExecutionDevice.CPU, 1))) {
            return new Predictor(registry, Clock.systemUTC()).predict(inputs);
        }
    }

    private static List<JsonNode> peer(Path repo, Path records) throws Exception {
        Process p = new ProcessBuilder(PeerProcess.PYTHON, PeerProcess.script(repo).toString(), "--records",
                records.toString(), "--threads", "1").directory(repo.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                answers.add(JSON.readTree(line));
            }
        }
        return answers;
    }
}
