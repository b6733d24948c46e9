package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.loadtests.BenchTopics;
import io.xasstream.loadtests.Offsets;
import io.xasstream.loadtests.Repo;
import io.xasstream.loadtests.peer.PeerProcess;
import io.xasstream.loadtests.pipeline.KafkaFloor;
import io.xasstream.loadtests.records.BenchSpectra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The load tools for a few seconds each, so that they cannot rot: every scenario of the load generator against the
 * embedded broker and the real inference service, the Kafka floor, and the Python peer where Debian's packages are
 * installed. It asserts what the tools count (nothing lost, nothing duplicated, exactly the injected spectra
 * dead-lettered), never how fast: this is not a benchmark.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadToolsSmokeIT {
    private static final String FE = "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi";

    private EmbeddedKafka kafka;
    private XasMetrics metrics;
    private XasConfig cfg;
    private Topics topics;
    private KafkaClients clients;
    private BenchTopics bench;
    private BenchSpectra spectra;

    @BeforeAll
    void broker() throws Exception {
        kafka = EmbeddedKafka.start();
        metrics = new XasMetrics("smoke");
        cfg = XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(), "models.manifest",
                Repo.root().resolve("models/manifest.json").toString(), "inference.execution-provider", "cpu"));
        topics = new Topics(cfg);
        clients = new KafkaClients(cfg);
        bench = new BenchTopics(cfg);
        try (Admin admin = clients.admin()) {
            List<Topic<?, ?>> all = new ArrayList<>(topics.all());
            all.addAll(bench.all());
            TopicAdmin.ensure(admin, all, cfg);
        }
        spectra = new BenchSpectra(SpectrumFileReader.read(Repo.root().resolve(FE)));
    }

    @AfterAll
    void stop() {
        metrics.close();
        kafka.close();
    }

    private LoadReport run(Target target, LoadRun.Plan plan) throws Exception {
        LoadRun run = new LoadRun(plan, "smoke" + System.nanoTime());
        try (LoadRun.Source answers = target.answers();
             SpectrumSink sink = new SpectrumSink(clients.producer("loadgen"), topics.spectra, spectra,
                     plan.schedule())) {
            LoadReport r = run.run(sink, answers);
            r.print(System.out, target.name());
            return r;
        }
    }

    private static void clean(LoadReport r) {
        assertThat(r.counts().lost()).as("lost").isZero();
        assertThat(r.counts().duplicated()).as("duplicated").isZero();
        assertThat(r.counts().deadLettered()).as("dead-lettered = injected").isEqualTo(r.injected()).isPositive();
        assertThat(r.counts().answered()).isEqualTo(r.counts().sent() - r.injected()).isPositive();
        assertThat(r.latency().getTotalCount()).isEqualTo(r.counts().sent());
    }

    @Test
    void everyScenarioAgainstTheServiceLosesAndDuplicatesNothing() throws Exception {
        try (Target service = PipelineTarget.start(cfg, topics, clients, metrics)) {
            clean(run(service, new LoadRun.Plan(ArrivalSchedule.quickExafs(2, 50), 2, 1_000_000, 60, 10)));
            clean(run(service, new LoadRun.Plan(ArrivalSchedule.xfel(16, 10), 2, 1_000_000, 60, 5)));
            LoadReport replay = run(service, new LoadRun.Plan(ArrivalSchedule.replay(), 30, 600, 60, 100));
            clean(replay);
            assertThat(replay.counts().sent()).isEqualTo(600);
        }
    }

    @Test
    void theKafkaFloorCopiesExactlyTheBacklog() throws Exception {
        var from = endOfSpectra();
        LoadReport sent = run(new Target() { // the backlog: spectra nobody answers, 4 pulses per record
            @Override
            public String name() {
                return "nobody";
            }

            @Override
            public LoadRun.Source answers() {
                return (ledger, timeout) -> sleep(timeout);
            }

            @Override
            public void close() {
            }
        }, new LoadRun.Plan(ArrivalSchedule.xfel(4, 1000), 60, 800, 0, 0));
        var until = endOfSpectra();
        assertThat(sent.counts().sent()).isEqualTo(800);
        KafkaFloor.Result floor = new KafkaFloor(cfg, clients).run(topics.spectra, bench.floor, from, until, 4,
                new byte[1000]);
        assertThat(floor.copied()).isEqualTo(800);
    }

    @Test
    void thePythonPeerAnswersEverySpectrumOnce() throws Exception {
        assumeThat(PeerProcess.unavailable()).as("Debian Python packages of the peer").isEmpty();
        try (Target peer = PeerTarget.start(Repo.root(), clients, topics, bench, List.of("--threads", "1"))) {
            clean(run(peer, new LoadRun.Plan(ArrivalSchedule.quickExafs(1, 20), 2, 1_000_000, 60, 8)));
            clean(run(peer, new LoadRun.Plan(ArrivalSchedule.xfel(8, 5), 1, 1_000_000, 60, 3)));
        }
    }

    private Map<TopicPartition, Long> endOfSpectra() {
        try (Admin admin = clients.admin()) {
            return Offsets.ends(admin, topics.spectra.name());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
