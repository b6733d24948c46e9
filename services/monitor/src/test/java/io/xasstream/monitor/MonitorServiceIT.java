package io.xasstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.json.RecordJson;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.monitor.query.MonitorRoutes;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor service on a real (embedded) broker: alerts, state, the query API, and a restart from changelogs. */
class MonitorServiceIT {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    private static XasConfig config(Path stateDir) {
        return XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "monitor.application-id", "monitor-it", "monitor.state-dir", stateDir.toString()));
    }

    @Test
    void restartingTheMonitorRestoresItsStateFromTheChangelogAndDoesNotRepeatAlerts(@TempDir Path tmp)
            throws Exception {
        Path stateDir = Files.createDirectory(tmp.resolve("state"));
        XasConfig config = config(stateDir);
        Topics topics = new Topics(config);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicAdmin.ensure(admin, topics.all(), config);
        }
        SyntheticResults cu = new SyntheticResults("exp-it", "cuo-1", 77);
        int change = 60;
        try (KafkaProducer<String, InferenceResult> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "acks", "all"),
                topics.results.keySerde().serializer(), topics.results.valueSerde().serializer());
             KafkaConsumer<String, Alert> alerts = consumer(topics.alerts.name(), topics.alerts.keySerde()
                     .deserializer(), topics.alerts.valueSerde().deserializer());
             KafkaConsumer<String, OperandoState> states = consumer(topics.operandoState.name(),
                     topics.operandoState.keySerde().deserializer(), topics.operandoState.valueSerde().deserializer());
             XasMetrics metrics = new XasMetrics("monitor-it")) {
            Readiness readiness = new Readiness();
            List<Alert> seenAlerts = new ArrayList<>();
            List<OperandoState> seenStates = new ArrayList<>();

            // first run: a stable Cu2+ stretch, then the reduction
            MonitorService monitor = new MonitorService(config, topics, metrics, readiness).start();
            Vertx vertx = Vertx.vertx();
            try {
                awaitTrue(monitor::running, "monitor RUNNING");
                assertThat(readiness.status()).containsEntry(MonitorService.READINESS_CHECK, true);
                for (int i = 0; i < change; i++) {
                    send(producer, topics, cu.result(i, 0, 0, 1, SyntheticResults.temperature(150 + i)));
                }
                poll(states, seenStates, s -> s.getSpectraSeen() == change);
                long sent = System.nanoTime();
                send(producer, topics, cu.result(change, 0, 1, 0, SyntheticResults.temperature(150 + change)));
                poll(alerts, seenAlerts, a -> a.getQuantity().equals("oxidation_state"));
                System.out.printf("alert latency from the triggering result: %d ms%n",
                        (System.nanoTime() - sent) / 1_000_000);
                for (int i = change + 1; i < 100; i++) {
                    send(producer, topics, cu.result(i, 0, 1, 0, SyntheticResults.temperature(150 + i)));
                }
                poll(states, seenStates, s -> s.getSpectraSeen() == 100);
                // committed in the same transactions as the states: already visible
                seenAlerts.addAll(drain(alerts, Duration.ofMillis(500)));
                assertThat(seenAlerts.stream().filter(a -> a.getQuantity().equals("oxidation_state"))).hasSize(1);
                int alertsFirstRun = seenAlerts.size();
                assertThat(alertsFirstRun).isBetween(1, 3); // oxidation state, and CN / first shell with it

                // the query API, mounted as the service host mounts it on its HTTP server
                Router router = Router.router(vertx);
                MonitorRoutes.mount(router, monitor.queries());
                HttpServer http = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                        .await(30, TimeUnit.SECONDS);
                String base = "http://127.0.0.1:" + http.actualPort();
                JsonNode state = get(base + "/samples/exp-it/cuo-1/state", 200);
                assertThat(state.get("spectraSeen").asLong()).isEqualTo(100);
                assertThat(state.get("alertCount").asLong()).isEqualTo(alertsFirstRun);
                assertThat(state.get("latest").get("spectrumId").asText()).isEqualTo("cuo-1-00099");
                JsonNode series = get(base + "/samples/exp-it/cuo-1/timeseries?limit=5", 200);
                assertThat(series.size()).isEqualTo(5);
                assertThat(series.get(4).get("spectrumId").asText()).isEqualTo("cuo-1-00099");
                assertThat(series.get(0).get("conditions").get("temperature").get("value").asDouble())
                        .isEqualTo(245.0);
                JsonNode alertsJson = get(base + "/samples/exp-it/cuo-1/alerts", 200);
                assertThat(alertsJson.size()).isEqualTo(alertsFirstRun);
                assertThat(alertsJson.findValuesAsText("quantity")).contains("oxidation_state");
                assertThat(get(base + "/samples", 200).size()).isEqualTo(1);
                get(base + "/samples/exp-it/nope/state", 404);
            } finally {
                vertx.close().await(30, TimeUnit.SECONDS);
                monitor.close();
            }
            assertThat(readiness.status()).doesNotContainKey(MonitorService.READINESS_CHECK);

            // the local state is lost; the same application id restores it from the changelog topics
            try (var paths = Files.walk(stateDir)) {
                paths.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(stateDir)).forEach(p -> p.toFile()
                        .delete());
            }
            int alertsBefore = seenAlerts.size();
            try (MonitorService restarted = new MonitorService(config, topics, metrics, readiness).start()) {
                for (int i = 100; i < 160; i++) {
                    send(producer, topics, cu.result(i, 0, 1, 0, SyntheticResults.temperature(150 + i)));
                }
                poll(states, seenStates, s -> s.getSpectraSeen() == 160);
                OperandoState last = seenStates.get(seenStates.size() - 1);
                assertThat(last.getAlertCount()).isEqualTo(alertsBefore);
                assertThat(last.getOodFlaggedCount()).isPositive();
                awaitTrue(restarted::running, "restarted monitor RUNNING"); // stores are queryable when RUNNING
                var stateNow = restarted.queries().state("exp-it/cuo-1").orElseThrow();
                assertThat(stateNow.getSpectraSeen()).isEqualTo(160);
                assertThat(restarted.queries().timeSeries("exp-it/cuo-1", 1_000)).hasSize(160);
            }
            // nothing new on the alerts topic
            seenAlerts.addAll(drain(alerts, Duration.ofSeconds(2)));
            assertThat(seenAlerts).hasSize(alertsBefore);
        }
    }

    private static void send(KafkaProducer<String, InferenceResult> producer, Topics topics, InferenceResult r)
            throws Exception {
        producer.send(new ProducerRecord<>(topics.results.name(), r.getKey(), r)).get(10, TimeUnit.SECONDS);
    }

    private static <V> KafkaConsumer<String, V> consumer(String topic,
                                                         Deserializer<String> k,
                                                         Deserializer<V> v) {
        KafkaConsumer<String, V> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "isolation.level", "read_committed", "enable.auto.commit", "false"), k, v);
        List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        c.assign(parts);
        c.seekToBeginning(parts);
        return c;
    }

    private static <V> void poll(KafkaConsumer<String, V> c, List<V> sink, Predicate<V> until) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            boolean done = false;
            for (ConsumerRecord<String, V> r : c.poll(Duration.ofMillis(20))) {
                sink.add(r.value()); // the whole batch: nothing polled is dropped
                done |= until.test(r.value());
            }
            if (done) {
                return;
            }
        }
        throw new AssertionError("timed out waiting; last seen " + (sink.isEmpty() ? "nothing"
                : sink.get(sink.size() - 1)));
    }

    private static <V> List<V> drain(KafkaConsumer<String, V> c, Duration quiet) {
        List<V> out = new ArrayList<>();
        long deadline = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(100)).forEach(r -> out.add(r.value()));
        }
        return out;
    }

    private static void awaitTrue(BooleanSupplier condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode get(String url, int status) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(status);
        return RecordJson.mapper().readTree(response.body());
    }
}
