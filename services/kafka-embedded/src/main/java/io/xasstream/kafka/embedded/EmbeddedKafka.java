package io.xasstream.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One in-process Kafka 4 broker in KRaft combined mode (broker + controller, single voter) on loopback: the
 * default cluster of the demo and of the integration tests. Broker internals stay behind this class.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int NODE_ID = 1;

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private volatile boolean closed;

    private EmbeddedKafka(Path dataDir, boolean deleteOnClose, int port, Map<String, String> overrides)
            throws Exception {
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        int brokerPort = port > 0 ? port : KraftStorage.freePort();
        int controllerPort = KraftStorage.freePort();
        Path logDir = dataDir.resolve("kraft-logs");
        Files.createDirectories(logDir);

        Properties p = KraftStorage.combinedNode(NODE_ID, NODE_ID + "@127.0.0.1:" + controllerPort, brokerPort,
                controllerPort, logDir);
        // A single broker: every internal topic must live with one replica, or exactly-once stalls.
        p.putAll(KraftStorage.replication(1, 1));
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("num.partitions", "3");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(KraftStorage.smallMachine());
        p.putAll(overrides);
        KafkaConfig config = new KafkaConfig(p, false);

        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        if (!formatted) {
            KraftStorage.format(logDir, NODE_ID, Uuid.randomUuid().toString(), List.of());
        }
        this.server = new KafkaRaftServer(config, Time.SYSTEM);
        this.server.startup();
        this.bootstrapServers = "127.0.0.1:" + brokerPort;
        awaitReady();
    }

    /** Starts a broker on a fresh temporary directory (deleted on close) and a free port. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    /**
     * Starts a broker on a fresh temporary directory and a free port, with broker settings {@code overrides}
     * applied over this class's own (for benchmarks that compare broker settings).
     */
    public static EmbeddedKafka start(Map<String, String> overrides) {
        return startTemporary(0, overrides);
    }

    /**
     * Starts a broker on a fresh temporary directory (deleted on close) and {@code port}, with broker settings
     * {@code overrides} applied over this class's own.
     *
     * @param port 0 for a free port
     */
    public static EmbeddedKafka startTemporary(int port, Map<String, String> overrides) {
        try {
            return new EmbeddedKafka(Files.createTempDirectory("xasstream-kafka-"), true, port, Map.copyOf(overrides));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /**
     * Starts a broker on {@code dataDir} (kept on close, so a restart finds its topics again) and {@code port}.
     *
     * @param port 0 for a free port
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * Starts a broker on {@code dataDir} (kept on close) and {@code port}, with broker settings {@code overrides}
     * applied over this class's own.
     *
     * @param port 0 for a free port
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        try {
            Files.createDirectories(dataDir);
            return new EmbeddedKafka(dataDir, false, port, Map.copyOf(overrides));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Kafka broker in " + dataDir + ": "
                    + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    private void awaitReady() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    LOG.info("embedded Kafka broker ready on {} (data {})", bootstrapServers, dataDir);
                    return;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Stops the broker (controlled shutdown) and deletes a temporary data directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteOnClose) {
                deleteRecursively(dataDir);
            }
        }
        LOG.info("embedded Kafka broker stopped");
    }

    private static void deleteRecursively(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
