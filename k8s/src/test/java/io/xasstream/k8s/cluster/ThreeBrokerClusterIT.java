package io.xasstream.k8s.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
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
        cluster = BrokerCluster.start(dir);
        config = ClusterStreams.configure(cluster.bootstrapServers());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(2)
    void killingTheActiveControllerThenATransactionCoordinatorMidStreamLosesAndRepeatsNothing() throws Exception {
        List<String> ids = ClusterStreams.publish(config, "failover", "fe-reduction", 20, 20_000);
        try (ServiceProcess a = inference("failover-a", "xasstream-inference-0");
             ServiceProcess b = inference("failover-b", "xasstream-inference-1");
             var results = CommittedResults.results(config, "failover")) {
            results.awaitAtLeast(2_000, LONG, a, b);

            // the active controller dies (SIGKILL) with 2,000 of 20,000 answered; the quorum elects another
            int controller = cluster.activeController();
            cluster.kill(controller);
            assertThat(cluster.isAlive(controller)).isFalse();
            results.awaitAtLeast(8_000, LONG, a, b);
            assertThat(cluster.activeController()).as("a new active controller").isNotEqualTo(controller);
            cluster.start(controller);
            cluster.awaitBrokers(BrokerCluster.NODES, 120);

            // then the broker that coordinates instance a's transactions dies
            int coordinator = cluster.transactionCoordinator("xasstream-inference-0");
            cluster.kill(coordinator);
            assertThat(cluster.isAlive(coordinator)).isFalse();
            results.awaitAtLeast(14_000, LONG, a, b);
            assertThat(cluster.transactionCoordinator("xasstream-inference-0")).as("coordinator moved")
                    .isNotEqualTo(coordinator);
            cluster.start(coordinator);

            results.awaitAtLeast(ids.size(), LONG, a, b);
            results.settle(Duration.ofSeconds(3));
            assertExactlyOnce(results.counts(), ids);
            System.out.printf("failover: killed controller %d and coordinator %d; %d results for %d spectra%n",
                    controller, coordinator, results.records().size(), ids.size());
        }
        cluster.awaitBrokers(BrokerCluster.NODES, 120);
    }

    /** First, so that the monitor (which reads xas.results from the start) has only this test's results to read. */
    @Test
    @Order(1)
    void aThirdInstanceJoiningAndOneKilledChangeNeitherResultsNorTheMonitorsAlerts() throws Exception {
        int samples = 12;
        int length = DemoSeries.load("cu-reduction").spectra().size();
        List<String> ids = ClusterStreams.publish(config, "scale", "cu-reduction", samples, samples * length);
        try (ServiceProcess monitor = ServiceProcess.run("scale-monitor", dir, cluster.bootstrapServers(),
                "monitor", "monitor.state-dir=" + dir.resolve("monitor-state"), "topics.replication-factor=3");
             ServiceProcess a = inference("scale-a", "xasstream-inference-0");
             ServiceProcess b = inference("scale-b", "xasstream-inference-1");
             var results = CommittedResults.results(config, "scale");
             var states = new CommittedResults<OperandoState>(config, new Topics(config).operandoState,
                     st -> st.getLatest() == null ? null : st.getLatest().getSpectrumId(), "scale");
             var alerts = new CommittedResults<Alert>(config, new Topics(config).alerts,
                     al -> al.getAtSpectrumId(), "scale")) {
            results.awaitAtLeast(ids.size() / 4, LONG, a, b);
            try (ServiceProcess c = inference("scale-c", "xasstream-inference-2")) {
                results.awaitAtLeast(ids.size() / 2, LONG, a, b, c);
                assertMetricsOfTheAlertsExist(a); // while it consumes
                b.kill(); // leaves without committing, aborting or leaving its group
                results.awaitAtLeast(ids.size(), LONG, a, c);
                results.settle(Duration.ofSeconds(3));
                assertExactlyOnce(results.counts(), ids);
            }
            // the monitor has followed every sample to its last spectrum ...
            states.awaitEach(ids.subList(ids.size() - samples, ids.size()), LONG, monitor);
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
    }

    @Test
    @Order(3)
    void aZombieWithAReusedTransactionalIdIsFenced() throws Exception {
        List<String> ids = new ArrayList<>(ClusterStreams.publish(config, "zombie", "fe-reduction", 10, 2_000));
        try (ServiceProcess zombie = inference("zombie-old", "xasstream-inference-7");
             var results = CommittedResults.results(config, "zombie")) {
            results.awaitAtLeast(500, LONG, zombie);
            // the pod is rescheduled while the old one still runs (a network partition, a stuck node): the new
            // instance takes the same transactional id, which fences the old one at its next transaction
            try (ServiceProcess successor = inference("zombie-new", "xasstream-inference-7")) {
                successor.awaitReady(LONG);
                ids.addAll(ClusterStreams.publish(config, "zombie", "fe-reduction", 10, 4_000, 2_000));
                results.awaitAtLeast(ids.size(), LONG, successor);
                results.settle(Duration.ofSeconds(3));
                assertExactlyOnce(results.counts(), ids);
                assertThat(zombie.log()).as("the old instance was fenced and stopped")
                        .contains("inference loop stopped").containsPattern("ProducerFenced|InvalidProducerEpoch");
            }
        }
    }

    private static ServiceProcess inference(String name, String transactionalId) throws Exception {
        return ServiceProcess.run(name, dir, cluster.bootstrapServers(), "inference",
                "inference.transactional-id=" + transactionalId, "inference.max-batch=128",
                "topics.replication-factor=3");
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
