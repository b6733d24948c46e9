package io.xasstream.kafka.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
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
        int brokerPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        Path logDir = dataDir.resolve("kraft-logs");
        Files.createDirectories(logDir);

        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        // A single broker: every internal topic must live with one replica, or exactly-once stalls.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "3");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        // One node serving one machine's clients: fewer request threads than Kafka's 3 network / 8 io contend less
        // with the services for the cores. 1 / 2 against 2 / 4: paced p99 16.8 / 17.3 / 19.4 ms against
        // 20.0 / 20.2 / 17.5 ms on 2 cores, transactions over 10 ms 35-47 against 45-65 (PipelineBenchmark --broker).
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        // With transactions v2 the broker adds a partition to the open transaction itself; while the coordinator
        // still writes the previous transaction's markers it answers CONCURRENT_TRANSACTIONS and the broker retries
        // after this backoff (default 20 ms). On one loopback node the markers take a few ms, and at 100 spectra/s
        // (one transaction each) the 20 ms wait showed in the latency tail (PipelineBenchmark --broker).
        p.put("add.partitions.to.txn.retry.backoff.ms", "2");
        p.putAll(overrides);
        KafkaConfig config = new KafkaConfig(p, false);

        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        if (!formatted) {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(logDir.toString()))
                    .setMetadataLogDirectory(logDir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .run();
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
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
