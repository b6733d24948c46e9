package io.xasstream.app.platform;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka the services use: the configured cluster, or (bootstrap.servers empty) an embedded broker started
 * here; topics of the registry are created when missing.
 */
public final class KafkaPlatform implements AutoCloseable {
    private final EmbeddedKafka embedded;
    private final XasConfig config;
    private final Topics topics;
    private final KafkaClients clients;

    private KafkaPlatform(EmbeddedKafka embedded, XasConfig config) {
        this.embedded = embedded;
        this.config = config;
        this.topics = new Topics(config);
        this.clients = new KafkaClients(config);
        if (config.get(XasConfig.TOPIC_CREATE)) {
            try (Admin admin = clients.admin()) {
                TopicAdmin.ensure(admin, topics.all(), config);
            }
        }
    }

    /** Connects to the configured cluster, starting the embedded broker when none is configured. */
    public static KafkaPlatform start(XasConfig config) {
        if (!config.embedded()) {
            return new KafkaPlatform(null, config);
        }
        String dir = config.get(XasConfig.EMBEDDED_DATA_DIR);
        EmbeddedKafka kafka = dir.isBlank() ? EmbeddedKafka.start()
                : EmbeddedKafka.start(Path.of(dir), config.get(XasConfig.EMBEDDED_PORT));
        try {
            return new KafkaPlatform(kafka, config.with(Map.of(XasConfig.BOOTSTRAP_SERVERS.name(),
                    kafka.bootstrapServers())));
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    /** Connects to the configured cluster only (commands such as send and tail never start a broker). */
    public static KafkaPlatform connect(XasConfig config) {
        if (config.embedded()) {
            throw new IllegalArgumentException("no Kafka cluster configured: give --bootstrap-servers HOST:PORT "
                    + "(the demo prints its address), or set bootstrap.servers in the config file");
        }
        return new KafkaPlatform(null, config);
    }

    /** The configuration with the effective bootstrap.servers. */
    public XasConfig config() {
        return config;
    }

    public Topics topics() {
        return topics;
    }

    public KafkaClients clients() {
        return clients;
    }

    public boolean isEmbedded() {
        return embedded != null;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
