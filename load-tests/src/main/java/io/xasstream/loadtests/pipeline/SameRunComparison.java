package io.xasstream.loadtests.pipeline;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.loadtests.BenchTopics;
import io.xasstream.loadtests.Machine;
import io.xasstream.loadtests.Offsets;
import io.xasstream.loadtests.Repo;
import io.xasstream.loadtests.loadgen.ArrivalSchedule;
import io.xasstream.loadtests.loadgen.LoadReport;
import io.xasstream.loadtests.loadgen.LoadRun;
import io.xasstream.loadtests.loadgen.PeerTarget;
import io.xasstream.loadtests.loadgen.PipelineTarget;
import io.xasstream.loadtests.loadgen.SpectrumSink;
import io.xasstream.loadtests.loadgen.Target;
import io.xasstream.loadtests.peer.PeerProcess;
import io.xasstream.loadtests.records.BenchSpectra;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What {@link PipelineBenchmark} measures beside the pipeline, on the same broker, records and cores, in the same run:
 * the Kafka floor (hence the limit), the Python peer on the same backlog, and both the pipeline and the peer at a
 * paced rate with the open-model load generator.
 */
public final class SameRunComparison {
    /**
     * @param peerBacklog spectra of the backlog the peer answers (its rate is lower: a part of the backlog suffices)
     * @param rate        paced spectra/s (one quick-EXAFS beamline)
     * @param seconds     measured paced seconds per target
     * @param warmup      unmeasured paced seconds before each
     * @param peer        whether to run the peer at all
     */
    public record Options(int peerBacklog, double rate, int seconds, int warmup, boolean peer,
                          List<String> peerOptions) {
    }

    /** Everything measured here, for the report. */
    public record Outcome(KafkaFloor.Result floor, LoadReport pacedPipeline, PeerBacklog peerBacklog,
                          LoadReport pacedPeer, String peerMissing) {
    }

    /** The peer's backlog run: spectra/s from its first answer read to its last, CPU (ns) of its process and ours. */
    public record PeerBacklog(long spectra, double perSecond, long peerCpu, Map<String, Long> cpu) {
    }

    private final XasConfig cfg;
    private final Topics topics;
    private final KafkaClients clients;
    private final XasMetrics metrics;
    private final BenchSpectra spectra;
    private final BenchTopics bench;
    private final Options options;

    public SameRunComparison(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics,
                             BenchSpectra spectra, Options options) {
        this.cfg = cfg;
        this.topics = topics;
        this.clients = clients;
        this.metrics = metrics;
        this.spectra = spectra;
        this.options = options;
        this.bench = new BenchTopics(cfg);
        try (Admin admin = clients.admin()) {
            TopicAdmin.ensure(admin, bench.all(), cfg);
        }
    }

    /** Where the spectra topic ends now (call before producing the backlog, and after). */
    public Map<TopicPartition, Long> spectraEnd() {
        try (Admin admin = clients.admin()) {
            return Offsets.ends(admin, topics.spectra.name());
        }
    }

    /**
     * Runs the floor, the paced pipeline and the peer on the backlog between {@code from} and {@code until}. The
     * floor first copies what lies before the backlog (the pipeline's warm-up records), untimed: its code gets the
     * same JIT warm-up as the pipeline's.
     */
    public Outcome run(Map<TopicPartition, Long> from, Map<TopicPartition, Long> until, int spectraPerRecord)
            throws Exception {
        byte[] answer = lastValue(topics.results.name());
        Map<TopicPartition, Long> start;
        try (Admin admin = clients.admin()) {
            start = Offsets.starts(admin, topics.spectra.name());
        }
        new KafkaFloor(cfg, clients).run(topics.spectra, bench.floor, start, from, spectraPerRecord, answer);
        KafkaFloor.Result floor = new KafkaFloor(cfg, clients).run(topics.spectra, bench.floor, from, until,
                spectraPerRecord, answer);
        LoadReport pacedPipeline;
        try (Target t = PipelineTarget.start(cfg, topics, clients, metrics)) {
            pacedPipeline = paced(t);
        }
        Optional<String> missing = options.peer() ? PeerProcess.unavailable() : Optional.of("--no-peer");
        if (missing.isPresent()) {
            return new Outcome(floor, pacedPipeline, null, null, missing.get());
        }
        PeerBacklog backlog = peerBacklog(from);
        LoadReport pacedPeer;
        try (Target t = PeerTarget.start(Repo.root(), clients, topics, bench, options.peerOptions())) {
            pacedPeer = paced(t);
        }
        return new Outcome(floor, pacedPipeline, backlog, pacedPeer, null);
    }

    private LoadReport paced(Target target) throws InterruptedException {
        ArrivalSchedule schedule = ArrivalSchedule.quickExafs(1, options.rate());
        LoadReport r = null;
        for (int pass = 0; pass < 2; pass++) {
            int secs = pass == 0 ? options.warmup() : options.seconds();
            if (secs <= 0) {
                continue;
            }
            LoadRun run = new LoadRun(new LoadRun.Plan(schedule, secs, Long.MAX_VALUE / 4, 30, 0),
                    "same" + Long.toString(System.nanoTime(), 36));
            try (LoadRun.Source answers = target.answers();
                 SpectrumSink sink = new SpectrumSink(clients.producer("bench-paced"), topics.spectra, spectra,
                         schedule)) {
                r = run.run(sink, answers);
            }
        }
        return r;
    }

    private PeerBacklog peerBacklog(Map<TopicPartition, Long> from) throws Exception {
        String group = "xas-bench-peer-backlog";
        try (Admin admin = clients.admin()) {
            Offsets.startGroupAt(admin, group, from);
        }
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", clients.bootstrapServers(), "--group",
                group, "--input", topics.spectra.name(), "--output", bench.peerResults.name(), "--stop-after",
                String.valueOf(options.peerBacklog())));
        args.addAll(options.peerOptions());
        try (KafkaConsumer<byte[], byte[]> reader = Offsets.readerAtEnd(clients, "bench-peer-reader",
                bench.peerResults.name());
             PeerProcess peer = PeerProcess.start(Repo.root(), args, Files.createTempFile("xas-peer-", ".log"))) {
            BacklogClock clock = new BacklogClock();
            long peerCpu = 0;
            Map<String, Long> cpu = Map.of();
            while (clock.seen() < options.peerBacklog()) {
                if (clock.poll(reader)) {
                    peerCpu = peer.cpuNanos();
                    cpu = ThreadCpu.byName();
                }
            }
            return new PeerBacklog(clock.timed(), clock.perSecond(), peer.cpuNanos() - peerCpu, ThreadCpu.since(cpu));
        }
    }

    /** The last record of a topic (a real result of this run, for the floor's answers). */
    private byte[] lastValue(String topic) {
        try (var consumer = new KafkaConsumer<>(clients.consumer("bench-last", null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, Math.max(0, consumer.position(tp) - 10)); // past the transaction markers
            }
            byte[] last = null;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (last == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    last = r.value();
                }
            }
            if (last == null) {
                throw new IllegalStateException("no result on " + topic + " to size the floor's answers by");
            }
            return last;
        }
    }

    /** The limit, the ratios and the CPU per spectrum of each stage. */
    public static void print(PrintStream out, Outcome o, double onnx, double pipeline, Map<String, Long> pipelineCpu,
                             long backlog, String input) {
        out.printf(Locale.ROOT, "%nthe limit and the peer, same run — %s%n", Machine.describe());
        KafkaFloor.Result f = o.floor();
        out.printf(Locale.ROOT, "Kafka floor (plain kafka-clients, the service's settings and cadence, no decoding, "
                + "no inference; %,d spectra, answers of %,d bytes): %,.0f spectra/s; CPU µs per spectrum by stage %s%n",
                f.copied(), f.answerBytes(), f.perSecond(), perSpectrum(Stages.group(f.cpu()), f.timed()));
        Limit limit = new Limit(onnx, f.perSecond());
        out.printf(Locale.ROOT, "limit = 1 / (1/onnx + 1/kafka) = 1 / (1/%,.0f + 1/%,.0f) = %,.0f spectra/s%n", onnx,
                f.perSecond(), limit.perSecond());
        out.printf(Locale.ROOT, "pipeline, %s: %,.0f spectra/s = %.2f × the limit (goal ≥ 0.85); CPU µs per spectrum "
                + "by stage %s%n", input, pipeline, limit.ratio(pipeline), perSpectrum(Stages.group(pipelineCpu),
                backlog));
        if (o.peerMissing() != null) {
            out.println("python peer: not run (" + o.peerMissing() + ")");
        } else {
            PeerBacklog p = o.peerBacklog();
            out.printf(Locale.ROOT, "python peer, same backlog (%,d spectra timed): %,.0f spectra/s; xasstream / peer = "
                    + "%.1f (goal ≥ 3); CPU µs per spectrum: peer process %.1f, this JVM by stage %s%n", p.spectra(),
                    p.perSecond(), pipeline / p.perSecond(), p.peerCpu() / 1e3 / Math.max(1, p.spectra()),
                    perSpectrum(Stages.group(p.cpu()), p.spectra()));
        }
        LoadReport x = o.pacedPipeline();
        out.printf(Locale.ROOT, "paced %s (open model, latency from the due time): xasstream p50 %.2f / p99 %.2f ms"
                + " (goal p99 ≤ 20 ms)", x.scenario(), x.p(50), x.p(99));
        if (o.pacedPeer() != null) {
            LoadReport y = o.pacedPeer();
            out.printf(Locale.ROOT, ", python peer p50 %.2f / p99 %.2f ms (goal: xasstream's p99 below the peer's)",
                    y.p(50), y.p(99));
        }
        out.println();
        x.print(out, "xasstream");
        if (o.pacedPeer() != null) {
            o.pacedPeer().print(out, "python peer");
        }
    }

    private static String perSpectrum(Map<String, Long> byStage, long spectra) {
        StringBuilder b = new StringBuilder();
        long total = 0;
        for (Map.Entry<String, Long> e : byStage.entrySet()) {
            total += e.getValue();
            b.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue() / 1e3 / Math.max(1, spectra)));
        }
        return b.append(String.format(Locale.ROOT, "all %.1f", total / 1e3 / Math.max(1, spectra))).toString();
    }
}
