package io.xasstream.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.k8s.RepoPaths;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * xasstream on a real three-node KRaft cluster (replication 3, min.insync.replicas 2; every node a controller and
 * a broker, each its own JVM) with inference instances in their own JVMs: nodes and instances are killed with
 * SIGKILL while spectra stream through, and the committed results (read_committed) still hold every spectrum
 * exactly once. One cluster serves the three tests; each counts only its own spectra (id prefix).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeBrokerClusterIT {
    private static final Duration LONG = Duration.ofMinutes(5);
    /**
     * For the instances of which one is SIGKILLed: its partitions go to the others after a 6 s session timeout
     * (Kafka's default 45 s), and its open transaction, which holds back every read_committed reader of the
     * partitions it wrote, is aborted after 15 s (default 60 s). What a Kubernetes operator would also tune; the
     * kill is the same.
     */
    private static final String[] KILL_NOTICED_SOONER = {"kafka.client.session.timeout.ms=6000",
        "kafka.client.heartbeat.interval.ms=1500", "kafka.client.transaction.timeout.ms=15000"};

    private static Path dir;
    private static BrokerCluster cluster;
    private static XasConfig config;

    @BeforeAll
    static void startCluster() throws Exception {
        dir = Files.createDirectories(Path.of("target", "cluster-it")).toAbsolutePath();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                new ProcessBuilder("rm", "-rf", p.toString()).start().waitFor();
            }
        }
        Timeline t = new Timeline("cluster");
        cluster = BrokerCluster.start(dir);
        config = ClusterStreams.configure(cluster.bootstrapServers());
        t.mark("three nodes up, topics created");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        ProcessHandle.current().info().totalCpuDuration().ifPresent(cpu ->
                System.out.printf("test JVM: %.1f s CPU%n", cpu.toMillis() / 1000.0));
    }

    @Test
    @Order(2)
    void killingTheActiveControllerThenATransactionCoordinatorMidStreamLosesAndRepeatsNothing() throws Exception {
        Timeline t = new Timeline("failover");
        // the instances load their models while the 20,000 spectra go in: a backlog they work off as fast as they
        // can, each broker killed with thousands of spectra still to come
        try (ServiceProcess a = inference("failover-a", "xasstream-inference-0");
             ServiceProcess b = inference("failover-b", "xasstream-inference-1");
             var results = CommittedResults.results(config, "failover")) {
            cluster.awaitBrokers(BrokerCluster.NODES, 120);
            List<String> ids = ClusterStreams.publish(config, "failover", "fe-reduction", 20, 20_000);
            t.mark("20,000 spectra published");
            results.awaitAtLeast(2_000, LONG, a, b);

            // the active controller dies (SIGKILL) with 2,000 of 20,000 answered; the quorum elects another, and the
            // stream goes on without the node before it comes back
            int controller = cluster.activeController();
            cluster.kill(controller);
            t.mark(results.records().size() + " answered; killed the active controller, node " + controller);
            assertThat(cluster.isAlive(controller)).isFalse();
            results.awaitAtLeast(5_000, LONG, a, b);
            assertThat(cluster.activeController()).as("a new active controller").isNotEqualTo(controller);
            cluster.start(controller);
            results.awaitAtLeast(8_000, LONG, a, b);
            cluster.awaitBrokers(BrokerCluster.NODES, 120); // one node lost at a time: every ISR full again
            t.mark(results.records().size() + " answered; node " + controller + " back, every ISR full");

            // then the broker that coordinates instance a's transactions dies
            int coordinator = cluster.transactionCoordinator("xasstream-inference-0");
            cluster.kill(coordinator);
            t.mark(results.records().size() + " answered; killed a's transaction coordinator, node " + coordinator);
            assertThat(cluster.isAlive(coordinator)).isFalse();
            results.awaitAtLeast(11_000, LONG, a, b);
            assertThat(cluster.transactionCoordinator("xasstream-inference-0")).as("coordinator moved")
                    .isNotEqualTo(coordinator);
            cluster.start(coordinator);

            results.awaitAtLeast(ids.size(), LONG, a, b);
            t.mark("all 20,000 answered");
            results.settle(Duration.ofSeconds(3));
            assertExactlyOnce(results.counts(), ids);
            System.out.printf("failover: killed controller %d and coordinator %d; %d results for %d spectra%n",
                    controller, coordinator, results.records().size(), ids.size());
            ServiceProcess.terminate(a, b);
        }
        t.mark("done");
    }

    /**
     * First, so that the monitor (which reads xas.results from the start) has only this test's results to read. The
     * series goes in by phases, so that the third instance joins and the second dies while spectra still come:
     * what is published after the kill on the dead instance's partitions can only be answered by the others.
     */
    @Test
    @Order(1)
    void aThirdInstanceJoiningAndOneKilledChangeNeitherResultsNorTheMonitorsAlerts() throws Exception {
        Timeline t = new Timeline("scale-out");
        int samples = 12;
        int steps = DemoSeries.load("cu-reduction").spectra().size();
        try (ServiceProcess monitor = ServiceProcess.run("scale-monitor", dir, cluster.bootstrapServers(),
                "monitor", "monitor.state-dir=" + dir.resolve("monitor-state"), "topics.replication-factor=3");
             ServiceProcess a = inference("scale-a", "xasstream-inference-0", KILL_NOTICED_SOONER);
             ServiceProcess b = inference("scale-b", "xasstream-inference-1", KILL_NOTICED_SOONER);
             var results = CommittedResults.results(config, "scale");
             var states = new CommittedResults<OperandoState>(config, new Topics(config).operandoState,
                     st -> st.getLatest() == null ? null : st.getLatest().getSpectrumId(), "scale");
             var alerts = new CommittedResults<Alert>(config, new Topics(config).alerts,
                     al -> al.getAtSpectrumId(), "scale")) {
            List<String> ids = new ArrayList<>(scaleSteps(samples, 0, steps / 3));
            results.awaitAtLeast(ids.size(), LONG, a, b);
            t.mark(ids.size() + " answered by two instances; a third starts");
            try (ServiceProcess c = inference("scale-c", "xasstream-inference-2", KILL_NOTICED_SOONER)) {
                c.awaitReady(LONG);
                cluster.awaitGroupMembers(InferenceSettings.GROUP_ID.defaultValue(), 3, LONG);
                ids.addAll(scaleSteps(samples, steps / 3, 2 * steps / 3));
                results.awaitAtLeast(ids.size(), LONG, a, b, c);
                t.mark(ids.size() + " answered by three instances");
                assertMetricsOfTheAlertsExist(a); // while it consumes
                ids.addAll(scaleSteps(samples, 2 * steps / 3, 5 * steps / 6));
                b.kill(); // mid-stream: leaves without committing, aborting or leaving its group
                t.mark("b killed with " + results.records().size() + " of " + ids.size() + " answered");
                ids.addAll(scaleSteps(samples, 5 * steps / 6, steps));
                results.awaitAtLeast(ids.size(), LONG, a, c);
                t.mark("all " + ids.size() + " answered");
                results.settle(Duration.ofSeconds(3));
                assertExactlyOnce(results.counts(), ids);
                ServiceProcess.terminate(a, c); // the monitor goes on
            }
            // the monitor has followed every sample to its last spectrum ...
            states.awaitEach(ids.subList(ids.size() - samples, ids.size()), LONG, monitor);
            t.mark("the monitor followed every sample to its end");
            alerts.settle(Duration.ofSeconds(3));
            // ... and, every sample being the same series, raised the same alerts at the same spectra for each
            Map<String, List<String>> perSample = new TreeMap<>();
            for (Alert alert : alerts.records()) {
                int index = Integer.parseInt(alert.getAtSpectrumId().substring("scale-".length()));
                perSample.computeIfAbsent(alert.getSampleId(), s -> new ArrayList<>())
                        .add(alert.getQuantity() + " " + alert.getFrom() + " -> " + alert.getTo() + " at step "
                                + index / samples);
            }
            assertThat(perSample).hasSize(samples);
            List<String> first = perSample.values().iterator().next();
            assertThat(first).isNotEmpty();
            perSample.forEach((sample, list) -> assertThat(list).as(sample).isEqualTo(first));
            System.out.printf("scale-out: %d results; %d alerts per sample, the same for all %d samples%n",
                    results.records().size(), first.size(), samples);
        }
        t.mark("done");
    }

    /** Steps [from, to) of the series for every sample (ids scale-N, N = step x samples + sample). */
    private static List<String> scaleSteps(int samples, int from, int to) throws Exception {
        return ClusterStreams.publish(config, "scale", "cu-reduction", samples, (to - from) * samples, from * samples);
    }

    @Test
    @Order(3)
    void aZombieWithAReusedTransactionalIdIsFenced() throws Exception {
        Timeline t = new Timeline("zombie");
        try (ServiceProcess zombie = inference("zombie-old", "xasstream-inference-7");
             var results = CommittedResults.results(config, "zombie")) {
            cluster.awaitBrokers(BrokerCluster.NODES, 120); // the previous test's node restarted, ISRs full
            List<String> ids = new ArrayList<>(ClusterStreams.publish(config, "zombie", "fe-reduction", 10, 1_000));
            results.awaitAtLeast(300, LONG, zombie);
            t.mark(results.records().size() + " answered by the first instance; its successor starts");
            // the pod is rescheduled while the old one still runs (a network partition, a stuck node): the new
            // instance takes the same transactional id, which fences the old one at its next transaction
            try (ServiceProcess successor = inference("zombie-new", "xasstream-inference-7")) {
                successor.awaitReady(LONG);
                ids.addAll(ClusterStreams.publish(config, "zombie", "fe-reduction", 10, 2_000, 1_000));
                t.mark("successor ready, 2,000 more spectra published");
                results.awaitAtLeast(ids.size(), LONG, successor);
                results.settle(Duration.ofSeconds(3));
                assertExactlyOnce(results.counts(), ids);
                assertThat(zombie.log()).as("the old instance was fenced and stopped")
                        .contains("inference loop stopped").containsPattern("ProducerFenced|InvalidProducerEpoch");
                ServiceProcess.terminate(zombie, successor);
            }
        }
        t.mark("done");
    }

    private static ServiceProcess inference(String name, String transactionalId, String... more) throws Exception {
        // one ONNX Runtime thread per session, as the ConfigMap gives CPU pods (k8s/base/10-configmap.yaml): two or
        // three instances share two cores here
        List<String> settings = new ArrayList<>(List.of("inference.transactional-id=" + transactionalId,
                "inference.max-batch=128", "inference.intra-op-threads=1", "topics.replication-factor=3"));
        settings.addAll(List.of(more));
        return ServiceProcess.run(name, dir, cluster.bootstrapServers(), "inference", settings.toArray(String[]::new));
    }

    private static void assertExactlyOnce(Map<String, Integer> counts, List<String> ids) {
        assertThat(counts.keySet()).as("every spectrum answered").containsAll(ids).hasSize(ids.size());
        Map<String, Integer> repeated = new HashMap<>();
        counts.forEach((id, n) -> {
            if (n != 1) {
                repeated.put(id, n);
            }
        });
        assertThat(repeated).as("answered more than once").isEmpty();
    }

    /**
     * The meters that k8s/components/monitoring alerts and plots on are served by a running inference (Micrometer
     * binds Kafka's client metrics as the clients create them: asked again for up to a minute).
     */
    private static void assertMetricsOfTheAlertsExist(ServiceProcess inference) throws Exception {
        Set<String> used = new TreeSet<>();
        Pattern name = Pattern.compile("\\b((?:xas|jvm)_[a-z_]+|kafka_consumer_fetch_manager_records_lag_max)\\b");
        for (String file : List.of("prometheusrule.yaml", "grafana-dashboard.json")) {
            Matcher m = name.matcher(Files.readString(RepoPaths.repo("k8s/components/monitoring/" + file)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).contains("xas_records_rejected_total", "xas_inference_end_to_end_latency_seconds_bucket",
                "kafka_consumer_fetch_manager_records_lag_max");
        Set<String> missing = new TreeSet<>(used);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            String metrics = inference.get("/metrics");
            assertThat(metrics).startsWith("200 ");
            missing.removeIf(metric -> Pattern.compile("(?m)^" + metric + "[{ ]").matcher(metrics).find());
            if (!missing.isEmpty()) {
                Thread.sleep(5_000);
            }
        }
        assertThat(missing).as("metrics used by k8s/components/monitoring that inference does not serve").isEmpty();
    }
}
