package io.xasstream.k8s.cluster;

import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.k8s.RepoPaths;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Spectra into a test cluster: the bundled demo series, one copy per sample, ids prefix-N. */
public final class ClusterStreams {
    static final int PARTITIONS = 6;

    private ClusterStreams() {
    }

    /** The configuration the tests' own clients use; the registry's topics are created (replication 3). */
    static XasConfig configure(String bootstrap) {
        XasConfig config = XasConfig.load(null, Map.of(), Map.of(
                "bootstrap.servers", bootstrap,
                "topics.partitions", String.valueOf(PARTITIONS),
                "topics.replication-factor", "3",
                "models.manifest", RepoPaths.repo("models/manifest.json").toString()));
        try (Admin admin = new KafkaClients(config).admin()) {
            TopicAdmin.ensure(admin, new Topics(config).all(), config);
        }
        return config;
    }

    /**
     * Publishes {@code count} spectra: sample s (of {@code samples}) gets the series' spectra in order, so every
     * sample is a full copy of the series when count = samples x series length. Returns the spectrum ids.
     */
    public static List<String> publish(XasConfig config, String prefix, String series, int samples, int count)
            throws Exception {
        return publish(config, prefix, series, samples, count, 0);
    }

    /** As above, the ids (and the series position) continuing from {@code first}. */
    public static List<String> publish(XasConfig config, String prefix, String series, int samples, int count,
                                       int first) throws Exception {
        Topics topics = new Topics(config);
        List<SpectrumFile> files = DemoSeries.load(series).spectra();
        Properties p = new KafkaClients(config).producer("it-" + prefix);
        p.put("linger.ms", "20");
        p.put("batch.size", String.valueOf(1 << 20));
        p.put("max.in.flight.requests.per.connection", "1");
        p.put("delivery.timeout.ms", "600000");
        p.put("request.timeout.ms", "120000");
        List<String> ids = new ArrayList<>(count);
        List<Future<RecordMetadata>> sends = new ArrayList<>(count);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = first; i < first + count; i++) {
                int sample = i % samples;
                int step = i / samples;
                String id = prefix + "-" + i;
                var ctx = new SpectrumRecords.Context(id, "test", "bl-" + prefix, prefix, "s" + sample,
                        "scan-" + step, null, null, start.plusSeconds(step), Map.of(), Map.of());
                var spectrum = SpectrumRecords.fromFile(files.get(step % files.size()), ctx);
                byte[] value = topics.spectra.valueSerde().serializer().serialize(topics.spectra.name(), spectrum);
                sends.add(producer.send(new ProducerRecord<>(topics.spectra.name(),
                        RecordKeys.of(prefix, "s" + sample).getBytes(StandardCharsets.UTF_8), value)));
                ids.add(id);
            }
            for (Future<RecordMetadata> f : sends) {
                f.get(10, TimeUnit.MINUTES);
            }
        }
        return ids;
    }
}
