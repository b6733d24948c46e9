package io.xasstream.ingest;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.kafka.TopicSnapshot;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Broker-side chores of the ingest integration tests: one embedded broker for all of them (a broker start is the
 * largest part of an IT's time on a loaded machine; each test keeps to its own topics, ids and application ids),
 * configuration, topics, producing, reading committed.
 */
public final class IngestITSupport {
    private static EmbeddedKafka shared;

    private IngestITSupport() {
    }

    /** The broker shared by the ingest ITs of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedKafka broker() {
        if (shared == null) {
            EmbeddedKafka k = EmbeddedKafka.start();
            Runtime.getRuntime().addShutdownHook(new Thread(k::close, "it-broker-stop"));
            shared = k;
        }
        return shared;
    }

    /** The broker's address, small session timeouts (a killed member leaves fast), the registry's topics. */
    public static XasConfig configure(EmbeddedKafka kafka, String... overrides) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bootstrap.servers", kafka.bootstrapServers());
        for (int i = 0; i + 1 < overrides.length; i += 2) {
            all.put(overrides[i], overrides[i + 1]);
        }
        XasConfig config = XasConfig.load(null, Map.of(), all);
        try (Admin admin = new KafkaClients(config).admin()) {
            TopicAdmin.ensure(admin, new Topics(config).all(), config);
        }
        return config;
    }

    /** A source topic of the facility (not in our registry: Bluesky's own topic names). */
    public static void createTopic(XasConfig config, String name, int partitions) throws Exception {
        try (Admin admin = new KafkaClients(config).admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends each value in order to one partition, keyed as given (null allowed), and waits for all. */
    public static void produce(XasConfig config, String topic, int partition, byte[] key, List<byte[]> values)
            throws Exception {
        try (var producer = new KafkaProducer<>(new KafkaClients(config).producer("it-source"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (byte[] v : values) {
                sends.add(producer.send(new ProducerRecord<>(topic, partition, key, v)));
            }
            for (var f : sends) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Every committed record of a registry topic now (up to its end offsets), decoded. */
    public static <V> List<V> readAll(XasConfig config, Topic<String, V> topic) {
        return TopicSnapshot.readAll(new KafkaClients(config), "it-read", topic);
    }
}
