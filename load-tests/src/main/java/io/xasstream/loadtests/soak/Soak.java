package io.xasstream.loadtests.soak;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.loadtests.Machine;
import io.xasstream.loadtests.Repo;
import io.xasstream.loadtests.loadgen.ArrivalSchedule;
import io.xasstream.loadtests.loadgen.Ledger;
import io.xasstream.loadtests.loadgen.LoadReport;
import io.xasstream.loadtests.loadgen.LoadRun;
import io.xasstream.loadtests.loadgen.Loopback;
import io.xasstream.loadtests.loadgen.PipelineAnswers;
import io.xasstream.loadtests.loadgen.SpectrumSink;
import io.xasstream.loadtests.records.BenchSpectra;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The soak: the CLI's own processes ({@code ./xasstream broker} and {@code ./xasstream run}) under a steady
 * quick-EXAFS load, sampled at every interval — heap after a full GC (jcmd GC.run, then the JVM meters of
 * {@code /metrics}), the lag end to end and the consumer's records-lag-max, p99 — with issue 35's verdict at the end.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = "30 minutes (--minutes) at 100 spectra/s through ./xasstream broker + run, sampled every minute.")
public final class Soak implements Callable<Integer> {
    private static final Pattern BOOTSTRAP = Pattern.compile("bootstrap servers\\s*:\\s*(\\S+)");
    private static final Pattern MANAGEMENT = Pattern.compile("management on (http://\\S+)");

    @Option(names = "--minutes", defaultValue = "30", description = "Minutes of load.")
    double minutes;

    @Option(names = "--rate", defaultValue = "100", description = "Spectra/s (one quick-EXAFS beamline).")
    double rate;

    @Option(names = "--warmup-seconds", defaultValue = "60", description = "Seconds of load at --rate before the "
            + "measured minutes, reported apart and left out of the verdict (cold JVMs compile their hot code then).")
    double warmupSeconds;

    @Option(names = "--sample-seconds", defaultValue = "60", description = "Seconds between samples.")
    int sampleSeconds;

    @Option(names = "--services", defaultValue = "inference,monitor", description = "What ./xasstream run starts.")
    String services;

    @Option(names = "--spectrum", defaultValue = "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi")
    Path spectrum;

    @Option(names = "--logs", description = "Directory for the services' logs (default: a temporary one).")
    Path logs;

    private final HttpClient http = HttpClient.newHttpClient();
    private final CountDownLatch loadDone = new CountDownLatch(1);
    private boolean warmupFailed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path repo = Repo.root();
        Path dir = logs != null ? Files.createDirectories(logs) : Files.createTempDirectory("xas-soak-");
        System.out.println("xasstream soak — " + Machine.describe());
        String cli = repo.resolve("xasstream").toString();
        try (CliProcess broker = CliProcess.start("broker", List.of(cli, "broker", "--port", "0"), repo, BOOTSTRAP,
                dir.resolve("broker.log"), 600)) {
            String bootstrap = broker.value();
            Loopback.require(bootstrap);
            try (CliProcess run = CliProcess.start("run", List.of(cli, "run", "-b", bootstrap, "--services", services,
                    "--set", "management.port=0", "--set", "monitor.http.port=0"), repo, MANAGEMENT,
                    dir.resolve("run.log"), 600)) {
                String management = run.value();
                awaitReady(management);
                System.out.printf(Locale.ROOT, "broker %s (pid %d), services %s (pid %d, management %s), logs in %s%n",
                        bootstrap, broker.pid(), services, run.pid(), management, dir);
                return soak(bootstrap, management, run, broker);
            }
        }
    }

    private int soak(String bootstrap, String management, CliProcess run, CliProcess broker) throws Exception {
        XasConfig cfg = XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", bootstrap));
        Topics topics = new Topics(cfg);
        KafkaClients clients = new KafkaClients(cfg);
        ArrivalSchedule schedule = ArrivalSchedule.quickExafs(1, rate);
        if (warmupSeconds > 0) {
            warmUp(clients, topics, schedule);
        }
        LoadRun load = new LoadRun(new LoadRun.Plan(schedule, minutes * 60, Long.MAX_VALUE / 4, 60, 0),
                "soak" + Long.toString(System.currentTimeMillis(), 36));
        List<SoakSample> samples = new ArrayList<>();
        Thread sampler = new Thread(() -> sample(load, management, run, broker, samples), "bench-sampler");
        LoadReport report;
        try (LoadRun.Source answers = new PipelineAnswers(clients, topics);
             SpectrumSink sink = new SpectrumSink(clients.producer("soak"), topics.spectra,
                     new BenchSpectra(SpectrumFileReader.read(spectrum)), schedule)) {
            sampler.start();
            report = load.run(sink, answers);
        } finally {
            loadDone.countDown();
            sampler.join(120_000);
        }
        report.print(System.out, "xasstream (./xasstream run)");
        SoakVerdict verdict;
        synchronized (samples) {
            verdict = SoakVerdict.of(samples, rate, report.counts());
        }
        verdict.lines().forEach(System.out::println);
        return verdict.pass() && !warmupFailed ? 0 : 1;
    }

    /**
     * The same load for {@code --warmup-seconds} first, its own run (spectrum ids apart, so the measured ledger never
     * counts its answers): the soak is about the half hour after start-up, and a cold start's first seconds (JIT,
     * first transactions) are reported here rather than hidden.
     */
    private void warmUp(KafkaClients clients, Topics topics, ArrivalSchedule schedule) throws Exception {
        LoadRun warm = new LoadRun(new LoadRun.Plan(schedule, warmupSeconds, Long.MAX_VALUE / 4, 30, 0),
                "soakwarm" + Long.toString(System.currentTimeMillis(), 36));
        Ledger.Counts c;
        try (LoadRun.Source answers = new PipelineAnswers(clients, topics);
             SpectrumSink sink = new SpectrumSink(clients.producer("soak-warmup"), topics.spectra,
                     new BenchSpectra(SpectrumFileReader.read(spectrum)), schedule)) {
            LoadReport r = warm.run(sink, answers);
            r.print(System.out, "warm-up, not in the verdict (" + warmupSeconds + " s)");
            c = r.counts();
        }
        if (c.lost() != 0 || c.duplicated() != 0) {
            System.out.println("warm-up: lost " + c.lost() + ", duplicated " + c.duplicated() + " (counted as a failure)");
            warmupFailed = true;
        }
    }

    /** Every second the outstanding spectra; at each interval's end, and once when the load ends, a sample. */
    private void sample(LoadRun load, String management, CliProcess run, CliProcess broker, List<SoakSample> out) {
        long start = System.nanoTime();
        long next = start + sampleSeconds * 1_000_000_000L;
        long outstanding = 0;
        long answered = 0;
        System.out.println("minute  heap after GC  lag max (spectra)  records-lag-max  p99 ms  answers  ERROR lines");
        try {
            boolean last = false;
            while (!last) {
                last = sleepOrStop(1000);
                outstanding = Math.max(outstanding, load.ledger().outstanding());
                long now = System.nanoTime();
                if (now < next && !last) {
                    continue;
                }
                next += sampleSeconds * 1_000_000_000L;
                double heap = heapAfterGc(run.pid(), management);
                String metrics = get(management + "/metrics");
                Histogram h = load.ledger().interval();
                long total = load.ledger().counts().answered();
                SoakSample s = new SoakSample((now - start) / 60e9, heap, outstanding, Prometheus.max(metrics,
                        "kafka_consumer_fetch_manager_records_lag_max"), h.getTotalCount() == 0 ? Double.NaN
                        : h.getValueAtPercentile(99) / 1e3, total - answered, run.errorLines() + broker.errorLines());
                synchronized (out) {
                    out.add(s);
                }
                System.out.printf(Locale.ROOT, "%6.1f  %10.1f MB  %17d  %15.0f  %6.2f  %7d  %11d%n", s.minutes(),
                        s.heapAfterGc() / 1e6, s.outstandingMax(), s.kafkaLagMax(), s.p99Ms(), s.answers(),
                        s.errorLines());
                outstanding = 0;
                answered = total;
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            System.out.println("sampling stopped: " + e);
        }
    }

    /** Sleeps; true when the load has ended meanwhile (the sampler then takes its last sample). */
    private boolean sleepOrStop(long millis) throws InterruptedException {
        return loadDone.await(millis, TimeUnit.MILLISECONDS);
    }

    /** A full GC of the service's JVM (jcmd GC.run), then its heap in use from /metrics. */
    private double heapAfterGc(long pid, String management) throws IOException, InterruptedException {
        Process gc = new ProcessBuilder("jcmd", String.valueOf(pid), "GC.run").redirectErrorStream(true).start();
        gc.getInputStream().readAllBytes();
        if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " GC.run failed");
        }
        return Prometheus.sum(get(management + "/metrics"), "jvm_memory_used_bytes", "area=\"heap\"");
    }

    private String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + ": HTTP " + r.statusCode());
        }
        return r.body();
    }

    private void awaitReady(String management) throws InterruptedException {
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(management + "/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(management + "/ready never answered 200");
    }
}
