package io.xasstream.kafka.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * What every KRaft node that xasstream starts itself shares (the embedded broker, the test clusters): formatting its
 * log directory, a free loopback port, and the broker settings for a small machine.
 */
public final class KraftStorage {
    private KraftStorage() {
    }

    /**
     * Formats {@code logDir} for node {@code nodeId} of cluster {@code clusterId} (controller listener CONTROLLER,
     * the latest production metadata version).
     *
     * @param scram SCRAM credentials to create with the cluster, e.g. {@code SCRAM-SHA-512=[name=admin,password=x]}
     */
    public static void format(Path logDir, int nodeId, String clusterId, List<String> scram) throws Exception {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(nodeId)
                .setClusterId(clusterId)
                .setDirectories(List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER");
        if (!scram.isEmpty()) {
            formatter.setScramArguments(scram);
        }
        formatter.run();
    }

    /** A port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /**
     * A node that is a KRaft controller and a broker, with a PLAINTEXT listener on loopback for clients and brokers.
     *
     * @param voters the controller quorum, {@code id@127.0.0.1:port,...}
     */
    public static Properties combinedNode(int nodeId, String voters, int brokerPort, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        return p;
    }

    /**
     * Replication of new topics and of the internal ones (offsets, transactions, share groups): exactly-once stalls
     * when an internal topic asks for more replicas than the cluster has.
     */
    public static Properties replication(int replicas, int minInSync) {
        Properties p = new Properties();
        p.put("default.replication.factor", String.valueOf(replicas));
        p.put("min.insync.replicas", String.valueOf(minInSync));
        p.put("offsets.topic.replication.factor", String.valueOf(replicas));
        p.put("transaction.state.log.replication.factor", String.valueOf(replicas));
        p.put("transaction.state.log.min.isr", String.valueOf(minInSync));
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(replicas));
        p.put("share.coordinator.state.topic.min.isr", String.valueOf(minInSync));
        return p;
    }

    /**
     * Settings of a node that serves one machine's clients: no topic created by a client's request, no wait before
     * the first rebalance, 16 MiB messages (an XFEL pulse train), and fewer request threads than Kafka's 3 network
     * / 8 io, which contend less with the services for the cores. 1 / 2 against 2 / 4: paced p99 16.8 / 17.3 /
     * 19.4 ms against 20.0 / 20.2 / 17.5 ms on 2 cores, transactions over 10 ms 35-47 against 45-65
     * (PipelineBenchmark --broker). With transactions v2 the broker adds a partition to the open transaction
     * itself; while the coordinator still writes the previous transaction's markers it answers
     * CONCURRENT_TRANSACTIONS and the broker retries after add.partitions.to.txn.retry.backoff.ms (default 20 ms).
     * On loopback the markers take a few ms, and at 100 spectra/s (one transaction each) the 20 ms wait showed in
     * the latency tail.
     */
    public static Properties smallMachine() {
        Properties p = new Properties();
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(16 * 1024 * 1024 + 1024));
        p.put("num.network.threads", "1");
        p.put("num.io.threads", "2");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("add.partitions.to.txn.retry.backoff.ms", "2");
        return p;
    }
}
