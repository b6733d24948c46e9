package io.xasstream.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.serde.SingleObjectCodec;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.model.ModelAction;
import io.xasstream.schema.model.ModelAnnouncement;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RawChannels;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The inference service end to end on the embedded broker: results keep ids, keys and per-sample order, and every
 * kind of bad input lands in the dead-letter topic with its reason while the good records around it are answered.
 */
class InferenceServiceIT {
    private static EmbeddedKafka kafka;
    private static XasConfig config;
    private static Topics topics;
    private static InferenceService service;
    private static XasMetrics metrics;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
        config = InferenceServiceITSupport.configure(kafka, "inference.transactional-id", "it-inference");
        topics = new Topics(config);
        metrics = new XasMetrics("it");
        service = InferenceService.start(config, topics, new KafkaClients(config), metrics, new Readiness(),
                InferenceService.Target.live(config, topics));
    }

    @AfterAll
    static void stop() {
        service.close();
        metrics.close();
        kafka.close();
    }

    @Test
    void spectraInResultsOutWithTheSameIdsAndKeysInOrderPerSampleAndBadInputDeadLettered() throws Exception {
        // Given good spectra of two samples, interleaved with a corpus of bad records (each with its expected reason)
        Map<String, String> expectedReason = new LinkedHashMap<>();
        List<String> goodA = new ArrayList<>();
        List<String> goodB = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            int n = 0;
            for (Map.Entry<String, Bad> bad : corpus().entrySet()) {
                String a = "a-" + n;
                String b = "b-" + n++;
                send(producer, "exp/A", encode(Spectra.fe(a, "exp", "A")));
                goodA.add(a);
                String key = "exp/bad-" + bad.getKey();
                send(producer, key, bad.getValue().bytes());
                expectedReason.put(key, bad.getValue().reason());
                send(producer, "exp/B", encode(Spectra.fe(b, "exp", "B")));
                goodB.add(b);
            }
            producer.flush();
        }

        // When the service has answered everything
        List<InferenceResult> results = readAll(topics.results.name(), goodA.size() + goodB.size(),
                r -> (InferenceResult) topics.results.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        List<RejectedSpectrum> dead = readAll(topics.rejected.name(), expectedReason.size(),
                r -> (RejectedSpectrum) topics.rejected.valueSerde().deserializer().deserialize(r.topic(), r.value()));

        // Then every good spectrum has exactly one result, in order per sample, with its key
        assertThat(results).hasSize(goodA.size() + goodB.size());
        assertThat(results.stream().filter(r -> r.getKey().equals("exp/A")).map(InferenceResult::getSpectrumId))
                .containsExactlyElementsOf(goodA);
        assertThat(results.stream().filter(r -> r.getKey().equals("exp/B")).map(InferenceResult::getSpectrumId))
                .containsExactlyElementsOf(goodB);
        InferenceResult first = results.get(0);
        assertThat(first.getPdf().getMean()).hasSize(first.getPdf().getR().size());
        assertThat(first.getCoordinationNumber()).isNotNull();
        assertThat(first.getFirstShellDistance()).isNotNull();
        assertThat(first.getPreprocessing().getEdgeStep()).isPositive();
        assertThat(first.getModels()).isNotEmpty();

        // and every bad record is in the dead-letter topic with the reason expected for it
        Map<String, String> actual = new LinkedHashMap<>();
        for (RejectedSpectrum d : dead) {
            actual.put(d.getKey(), d.getReasonCode());
            assertThat(d.getSourceTopic()).isEqualTo(topics.spectra.name());
            assertThat(d.getMessage()).isNotBlank();
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expectedReason);
        assertThat(expectedReason).hasSizeGreaterThanOrEqualTo(20);
        RejectedSpectrum big = dead.stream().filter(d -> d.getReasonCode().equals("MESSAGE_TOO_LARGE")).findFirst()
                .orElseThrow();
        assertThat(big.getOriginalSize()).isGreaterThan(10_000_000);
        RejectedSpectrum truncated = dead.stream().filter(d -> d.getKey().equals("exp/bad-truncated-avro"))
                .findFirst().orElseThrow();
        assertThat(truncated.getOriginal().remaining()).isEqualTo(truncated.getOriginalSize());
        assertThat(metrics.registry().scrape()).contains("xas_records_rejected_total")
                .contains("reason=\"NO_MODEL\"").contains("xas_inference_batch_size");
    }

    /** A bad record and the reason code it must be dead-lettered with. */
    record Bad(byte[] bytes, String reason) {
    }

    private static Map<String, Bad> corpus() {
        Map<String, Bad> c = new LinkedHashMap<>();
        byte[] good = encode(Spectra.fe("x", "exp", "bad"));
        c.put("truncated-avro", new Bad(Arrays.copyOf(good, good.length / 3), "DECODE_FAILED"));
        c.put("garbage", new Bad("not avro at all, just text".getBytes(StandardCharsets.UTF_8), "DECODE_FAILED"));
        c.put("empty-value", new Bad(new byte[0], "DECODE_FAILED"));
        byte[] unknown = good.clone();
        unknown[5] ^= 0x5A; // same layout, a fingerprint no schema version has
        c.put("unknown-fingerprint", new Bad(unknown, "UNKNOWN_SCHEMA"));
        c.put("result-on-spectra-topic", new Bad(SingleObjectCodec.of(ModelAnnouncement.class)
                .encode("t", ModelAnnouncement.newBuilder().setModelId("m").setVersion("1")
                        .setTask("pdf").setElement("Fe").setEdge(AbsorptionEdge.K).setSha256("0").setUri("x")
                        .setAction(ModelAction.ACTIVATE).setAnnouncedAt(Instant.now())
                        .build()), "UNKNOWN_SCHEMA"));
        byte[] huge = new byte[10 * 1024 * 1024 + 17];
        System.arraycopy(good, 0, huge, 0, good.length);
        c.put("ten-megabytes", new Bad(huge, "MESSAGE_TOO_LARGE"));
        c.put("nan-in-mu", bad(s -> withMu(s, mu -> set(mu, 40, Double.NaN)), "NON_FINITE_VALUE"));
        c.put("infinite-energy", bad(s -> withEnergy(s, e -> set(e, 3, Double.POSITIVE_INFINITY)), "NON_FINITE_VALUE"));
        c.put("empty-energy", bad(s -> withEnergy(s, e -> new ArrayList<>()), "MISSING_FIELD"));
        c.put("mismatched-arrays", bad(s -> withMu(s, mu -> mu.subList(0, mu.size() - 5)), "LENGTH_MISMATCH"));
        c.put("no-mu-no-channels", bad(s -> { s.setMu(null); s.setChannels(null); return s; }, "MISSING_FIELD"));
        c.put("i0-zero", bad(s -> { s.getChannels().getI0().set(10, 0.0); return s; }, "NON_POSITIVE_I0"));
        c.put("itrans-negative", bad(s -> { s.getChannels().getItrans().set(10, -5.0); return s; }, "NON_FINITE_VALUE"));
        c.put("i0-only", bad(s -> { s.getChannels().setItrans(null); return s; }, "MISSING_FIELD"));
        c.put("unknown-element", bad(s -> { s.setElement("Xx"); return s; }, "UNKNOWN_ELEMENT"));
        c.put("element-without-model", bad(s -> { s.setElement("Pb"); return s; }, "NO_MODEL"));
        c.put("edge-without-model", bad(s -> { s.setEdge(AbsorptionEdge.M5); return s; }, "NO_MODEL"));
        c.put("outside-model-grid", bad(s -> cut(s, 7000, 7160), "GRID_NOT_COVERED"));
        c.put("too-few-points", bad(s -> cut(s, 7110, 7114), "TOO_FEW_POINTS"));
        c.put("non-monotonic-energy", bad(s -> withEnergy(s, e -> swap(e, 100, 101)), "NON_MONOTONIC_ENERGY"));
        c.put("duplicated-energy", bad(s -> withEnergy(s, e -> set(e, 101, e.get(100))), "DUPLICATE_ENERGY"));
        c.put("edge-far-from-element", bad(s -> withEnergy(s, e -> shift(e, 900)), "EDGE_NOT_FOUND"));
        c.put("falling-edge", bad(s -> withMu(s, mu -> negated(mu)), "NON_POSITIVE_EDGE_STEP"));
        c.put("zero-step-axis", bad(s -> { s.setEnergy(new RegularEnergyAxis(7000.0, 0.0, s.getChannels().getI0()
                .size())); return s; }, "MISSING_FIELD"));
        c.put("batch-short-matrix", new Bad(encode(batch(8, 100, 8 * 100 * 4 - 4)), "LENGTH_MISMATCH"));
        return c;
    }

    private static Bad bad(UnaryOperator<Spectrum> change, String reason) {
        return new Bad(encode(change.apply(Spectra.fe("bad-" + reason, "exp", "bad"))), reason);
    }

    /** The fixture's channels turned into mu so that mu can be edited. */
    private static Spectrum withMu(Spectrum s, UnaryOperator<List<Double>> change) {
        RawChannels c = s.getChannels();
        List<Double> mu = new ArrayList<>();
        for (int i = 0; i < c.getI0().size(); i++) {
            mu.add(Math.log(c.getI0().get(i) / c.getItrans().get(i)));
        }
        s.setChannels(null);
        s.setMu(change.apply(mu));
        return s;
    }

    private static Spectrum withEnergy(Spectrum s, UnaryOperator<List<Double>> change) {
        List<Double> e = new ArrayList<>(((ExplicitEnergyAxis) s.getEnergy()).getValuesEv());
        s.setEnergy(new ExplicitEnergyAxis(change.apply(e)));
        return s;
    }

    /** Keeps only the points with lo <= E <= hi. */
    private static Spectrum cut(Spectrum s, double lo, double hi) {
        List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
        RawChannels c = s.getChannels();
        List<Double> e2 = new ArrayList<>();
        List<Double> i0 = new ArrayList<>();
        List<Double> it = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            if (e.get(i) >= lo && e.get(i) <= hi) {
                e2.add(e.get(i));
                i0.add(c.getI0().get(i));
                it.add(c.getItrans().get(i));
            }
        }
        s.setEnergy(new ExplicitEnergyAxis(e2));
        s.setChannels(new RawChannels(i0, it, null, null));
        return s;
    }

    private static List<Double> set(List<Double> l, int i, double v) {
        l.set(i, v);
        return l;
    }

    private static List<Double> swap(List<Double> l, int i, int j) {
        Double t = l.get(i);
        l.set(i, l.get(j));
        l.set(j, t);
        return l;
    }

    private static List<Double> shift(List<Double> l, double by) {
        l.replaceAll(v -> v + by);
        return l;
    }

    private static List<Double> negated(List<Double> l) {
        l.replaceAll(v -> -v);
        return l;
    }

    private static SpectrumBatch batch(int count, int points, int bytes) {
        List<String> ids = new ArrayList<>();
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("row-" + i);
            times.add(Instant.EPOCH);
        }
        return SpectrumBatch.newBuilder().setBatchId("bad-batch")
                .setSource(SourceIds.newBuilder().setExperimentId("exp").setSampleId("bad").build())
                .setElement("Fe").setEdge(AbsorptionEdge.K)
                .setEnergy(new RegularEnergyAxis(7000.0, 2.0, points)).setCount(count).setSpectrumIds(ids)
                .setAcquiredAt(times).setMu(ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN)).build();
    }

    private static byte[] encode(SpecificRecord r) {
        return topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), r);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new KafkaClients(config).producer("it");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topics.spectra.name(), key.getBytes(StandardCharsets.UTF_8), value));
    }

    static <T> List<T> readAll(String topic, int expected, Function<ConsumerRecord<byte[], byte[]>, T> f) {
        Properties p = new KafkaClients(config).consumer("it-read", "it-read-" + System.nanoTime());
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<T> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 120_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(f.apply(r)));
            }
            // a little longer: anything beyond the expected count is a duplicate or a stray record
            long extra = System.currentTimeMillis() + 2_000;
            while (System.currentTimeMillis() < extra) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(f.apply(r)));
            }
            return out;
        }
    }
}
