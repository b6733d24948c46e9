package io.xasstream.k8s.cluster;

import io.xasstream.k8s.RepoPaths;
import io.xasstream.kafka.embedded.KraftStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.Uuid;

/**
 * Three Kafka 4 nodes on loopback, each its own JVM ({@code kafka.Kafka}, from the application's fat jar), each a
 * KRaft controller and a broker, replication 3 and min.insync.replicas 2 like the production KafkaNodePool: a node
 * can be killed with SIGKILL (no controlled shutdown, no flush) and started again on its data.
 */
final class BrokerCluster implements AutoCloseable {
    static final int NODES = 3;

    private final Path dir;
    private final Map<Integer, Path> configs = new LinkedHashMap<>();
    private final Map<Integer, Process> processes = new LinkedHashMap<>();
    private final String bootstrap;

    private BrokerCluster(Path dir, Map<String, String> extra) throws Exception {
        this.dir = dir;
        int[] brokerPorts = new int[NODES + 1];
        int[] controllerPorts = new int[NODES + 1];
        for (int id = 1; id <= NODES; id++) {
            brokerPorts[id] = KraftStorage.freePort();
            controllerPorts[id] = KraftStorage.freePort();
        }
        StringBuilder voters = new StringBuilder();
        for (int id = 1; id <= NODES; id++) {
            voters.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(controllerPorts[id]);
        }
        String clusterId = Uuid.randomUuid().toString();
        List<String> servers = new ArrayList<>();
        for (int id = 1; id <= NODES; id++) {
            Path logDir = Files.createDirectories(dir.resolve("node-" + id));
            Properties p = KraftStorage.combinedNode(id, voters.toString(), brokerPorts[id], controllerPorts[id],
                    logDir);
            // as the production cluster (k8s/base/20-kafka.yaml): one node may be lost
            p.putAll(KraftStorage.replication(3, 2));
            p.put("unclean.leader.election.enable", "false");
            p.put("offsets.topic.num.partitions", "6");
            p.put("transaction.state.log.num.partitions", "6");
            p.putAll(KraftStorage.smallMachine());
            // a SIGKILLed instance's open transaction is aborted within a second of its timeout (default: 10 s
            // later), so that read_committed readers see past it sooner; the kill itself is not softened
            p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
            p.putAll(extra);
            Path config = dir.resolve("node-" + id + ".properties");
            try (var out = Files.newBufferedWriter(config)) {
                p.store(out, "xasstream test cluster node " + id);
            }
            configs.put(id, config);
            KraftStorage.format(logDir, id, clusterId, List.of());
            servers.add("127.0.0.1:" + brokerPorts[id]);
        }
        this.bootstrap = String.join(",", servers);
        for (int id = 1; id <= NODES; id++) {
            start(id);
        }
        awaitBrokers(NODES, 120);
    }

    static BrokerCluster start(Path dir) throws Exception {
        return new BrokerCluster(dir, Map.of());
    }

    String bootstrapServers() {
        return bootstrap;
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return Admin.create(p);
    }

    /** Starts node {@code id} (again) on its data. */
    void start(int id) throws IOException {
        Path jar = RepoPaths.repo("services/app/target/xasstream.jar");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", jar.toString(), "kafka.Kafka", configs.get(id).toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + id + ".log")
                .toFile()));
        processes.put(id, pb.start());
    }

    /** SIGKILL: the node dies with whatever it had in flight (no controlled shutdown). */
    void kill(int id) throws InterruptedException {
        Process p = processes.get(id);
        reportCpu(id, p);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + id + " did not die");
        }
    }

    boolean isAlive(int id) {
        return processes.get(id).isAlive();
    }

    long pid(int id) {
        return processes.get(id).pid();
    }

    /** The node that leads the KRaft metadata quorum (the active controller). */
    int activeController() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
        }
    }

    /** Waits until consumer group {@code group} is stable with {@code members} members, each with partitions. */
    void awaitGroupMembers(String group, int members, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                        .get(30, TimeUnit.SECONDS);
                long assigned = d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                if (d.groupState() == GroupState.STABLE && d.members().size() == members && assigned == members) {
                    return;
                }
                last = d.groupState() + ", " + d.members().size() + " members, " + assigned + " with partitions";
                Thread.sleep(200);
            }
        }
        throw new AssertionError("group " + group + " not stable with " + members + " members: " + last);
    }

    /** The broker that coordinates a transactional id's transactions. */
    int transactionCoordinator(String transactionalId) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTransactions(List.of(transactionalId)).description(transactionalId)
                    .get(30, TimeUnit.SECONDS).coordinatorId();
        }
    }

    /**
     * Waits until {@code count} brokers are registered and every partition (the internal topics' too) has its full
     * ISR again: a node killed before a restarted one caught up would leave partitions below min.insync.replicas.
     */
    void awaitBrokers(int count, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        Object last = null;
        while (System.currentTimeMillis() < deadline) {
            try (Admin admin = admin()) {
                if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                    List<String> shortOf = underReplicated(admin);
                    if (shortOf.isEmpty()) {
                        return;
                    }
                    last = "under-replicated: " + shortOf;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("fewer than " + count + " brokers or ISRs not full after " + seconds + " s ("
                + last + "); logs:\n" + logs());
    }

    private static List<String> underReplicated(Admin admin) throws Exception {
        var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        List<String> out = new ArrayList<>();
        admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((topic, d) ->
                d.partitions().forEach(p -> {
                    if (p.isr().size() < p.replicas().size()) {
                        out.add(topic + "-" + p.partition());
                    }
                }));
        return out;
    }

    String logs() {
        return configs.keySet().stream().map(id -> {
            try {
                String log = Files.readString(dir.resolve("node-" + id + ".log"));
                return "--- node " + id + "\n" + log.substring(Math.max(0, log.length() - 3000));
            } catch (IOException e) {
                return "--- node " + id + ": " + e;
            }
        }).collect(Collectors.joining("\n"));
    }

    private static void reportCpu(int id, Process p) {
        p.info().totalCpuDuration().ifPresent(cpu ->
                System.out.printf("node %d: %.1f s CPU%n", id, cpu.toMillis() / 1000.0));
    }

    @Override
    public void close() {
        processes.forEach((id, p) -> {
            if (p.isAlive()) {
                reportCpu(id, p);
            }
        });
        processes.values().forEach(Process::destroy);
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
