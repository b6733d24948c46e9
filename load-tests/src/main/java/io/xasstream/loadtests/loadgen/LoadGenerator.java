package io.xasstream.loadtests.loadgen;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.loadtests.BenchTopics;
import io.xasstream.loadtests.Machine;
import io.xasstream.loadtests.Repo;
import io.xasstream.loadtests.records.BenchSpectra;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The open-model load generator: a fixed arrival rate (or as fast as possible), latency from each send's due time,
 * every answer matched to its spectrum, lost / duplicated / dead-lettered counted; bounded in time and count; loopback
 * only. Without {@code --bootstrap-servers} it starts an embedded broker and the targets in this process (the Python
 * peer as a child process); with it, it loads services that run elsewhere on this machine ({@code ./xasstream run}).
 */
@Command(name = "load-generator", mixinStandardHelpOptions = true,
        description = "Open-model load on xasstream (and the Python peer): quick-EXAFS, XFEL or replay.")
public final class LoadGenerator implements Callable<Integer> {
    @Option(names = "--scenario", defaultValue = "quick-exafs", description = "quick-exafs, xfel or replay.")
    String scenario;

    @Option(names = "--beamlines", defaultValue = "1", description = "quick-EXAFS beamlines, each at --rate.")
    int beamlines;

    @Option(names = "--rate", defaultValue = "100", description = "Spectra/s per quick-EXAFS beamline.")
    double rate;

    @Option(names = "--pulses", defaultValue = "64", description = "XFEL: spectra per train (one SpectrumBatch).")
    int pulses;

    @Option(names = "--hz", defaultValue = "10", description = "XFEL: trains per second.")
    double hz;

    @Option(names = "--seconds", defaultValue = "30", description = "Measured sending time per run.")
    double seconds;

    @Option(names = "--spectra", defaultValue = "2000000", description = "At most this many spectra per run.")
    long spectra;

    @Option(names = "--warmup", defaultValue = "10", description = "Seconds of the same load, unmeasured, before "
            + "each measured run (JIT, connections); 0 for none.")
    double warmup;

    @Option(names = "--drain", defaultValue = "30", description = "Seconds to wait for answers after the last send.")
    double drain;

    @Option(names = "--reject-every", defaultValue = "0", description = "Every n-th record carries an element no "
            + "model serves (dead letters expected); 0 for none.")
    long rejectEvery;

    @Option(names = "--target", defaultValue = "xasstream", description = "xasstream, peer or both (alternating; "
            + "peer and both need the embedded broker).")
    String target;

    @Option(names = "--runs", defaultValue = "1", description = "Measured runs per target; the order of the targets "
            + "alternates from run to run.")
    int runs;

    @Option(names = "--bootstrap-servers", description = "A broker on this machine with xasstream already running "
            + "(loopback addresses only); default: an embedded broker and the service in this process.")
    String bootstrapServers;

    @Option(names = "--spectrum", defaultValue = "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi",
            description = "The spectrum file streamed (with noise); its element must have a model.")
    Path spectrum;

    @Option(names = "--manifest", defaultValue = "models/manifest.json")
    Path manifest;

    @Option(names = "--set", description = "A service setting, name=value (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--peer-option", description = "An option for peer.py (repeatable), e.g. --peer-option=--threads "
            + "--peer-option=1.")
    List<String> peerOptions = new ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGenerator()).execute(args));
    }

    ArrivalSchedule schedule() {
        return switch (scenario.toLowerCase(Locale.ROOT)) {
            case "quick-exafs" -> ArrivalSchedule.quickExafs(beamlines, rate);
            case "xfel" -> ArrivalSchedule.xfel(pulses, hz);
            case "replay" -> ArrivalSchedule.replay();
            default -> throw new IllegalArgumentException("--scenario is quick-exafs, xfel or replay, not " + scenario);
        };
    }

    List<String> targets(int run) {
        List<String> t = switch (target) {
            case "xasstream" -> List.of("xasstream");
            case "peer" -> List.of("peer");
            case "both" -> List.of("xasstream", "peer");
            default -> throw new IllegalArgumentException("--target is xasstream, peer or both, not " + target);
        };
        List<String> order = new ArrayList<>(t);
        if (run % 2 == 1) {
            Collections.reverse(order);
        }
        return order;
    }

    @Override
    public Integer call() throws Exception {
        ArrivalSchedule schedule = schedule();
        if (bootstrapServers != null) {
            Loopback.require(bootstrapServers);
            if (!target.equals("xasstream")) {
                throw new IllegalArgumentException("--target " + target + " needs the embedded broker (no "
                        + "--bootstrap-servers)");
            }
        }
        System.out.println("xasstream load generator — " + Machine.describe());
        try (EmbeddedKafka kafka = bootstrapServers == null ? EmbeddedKafka.start() : null;
             XasMetrics metrics = new XasMetrics("loadgen")) {
            Map<String, String> overrides = new LinkedHashMap<>(Map.of("bootstrap.servers", kafka != null
                    ? kafka.bootstrapServers() : bootstrapServers, "models.manifest",
                    manifest.toAbsolutePath().toString(), "inference.execution-provider", "cpu"));
            overrides.putAll(settings);
            XasConfig cfg = XasConfig.load(null, Map.of(), overrides);
            Topics topics = new Topics(cfg);
            KafkaClients clients = new KafkaClients(cfg);
            BenchTopics bench = new BenchTopics(cfg);
            try (Admin admin = clients.admin()) {
                List<Topic<?, ?>> all = new ArrayList<>(topics.all());
                all.addAll(bench.all());
                TopicAdmin.ensure(admin, all, cfg);
            }
            BenchSpectra records = new BenchSpectra(SpectrumFileReader.read(spectrum));
            Map<String, List<LoadReport>> reports = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (String t : targets(run)) {
                    try (Target target = open(t, cfg, topics, clients, bench, metrics)) {
                        LoadReport r = measure(schedule, records, target, clients, topics, run);
                        r.print(System.out, target.name());
                        reports.computeIfAbsent(target.name(), k -> new ArrayList<>()).add(r);
                    }
                }
            }
            return Summary.print(System.out, reports) ? 0 : 1;
        }
    }

    private Target open(String name, XasConfig cfg, Topics topics, KafkaClients clients, BenchTopics bench,
                        XasMetrics metrics) throws Exception {
        if (name.equals("peer")) {
            return PeerTarget.start(Repo.root(), clients, topics, bench, peerOptions);
        }
        return bootstrapServers != null ? PipelineTarget.external(clients, topics)
                : PipelineTarget.start(cfg, topics, clients, metrics);
    }

    private LoadReport measure(ArrivalSchedule schedule, BenchSpectra records, Target target, KafkaClients clients,
                               Topics topics, int run) throws Exception {
        String runId = "lg" + Long.toString(System.currentTimeMillis(), 36) + "r" + run;
        if (warmup > 0) {
            LoadReport w = once(new LoadRun.Plan(schedule, warmup, spectra, drain, rejectEvery), runId + "w",
                    records, target, clients, topics);
            System.out.printf(Locale.ROOT, "  (warm-up %s: %.0f s, p99 %.2f ms%s)%n", target.name(), warmup, w.p(99),
                    w.counts().lost() == 0 ? "" : "; " + w.counts().lost() + " spectra still unanswered after the drain: "
                    + "the measured run starts behind, and their late answers count as unexpected");
        }
        return once(new LoadRun.Plan(schedule, seconds, spectra, drain, rejectEvery), runId, records, target,
                clients, topics);
    }

    private static LoadReport once(LoadRun.Plan plan, String runId, BenchSpectra records, Target target,
                                   KafkaClients clients, Topics topics) throws InterruptedException {
        LoadRun run = new LoadRun(plan, runId);
        try (LoadRun.Source answers = target.answers();
             SpectrumSink sink = new SpectrumSink(clients.producer("loadgen"), topics.spectra, records,
                     plan.schedule())) {
            return run.run(sink, answers);
        }
    }
}
