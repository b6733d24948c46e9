package io.xasstream.loadtests.pipeline;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.loadtests.records.BenchSpectra;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongToDoubleFunction;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 6's benchmark, on the embedded broker and CPU: (1) raw ONNX Runtime batch throughput of the served models,
 * (2) pipeline throughput (Kafka in → decode → preprocess → infer → transactional Kafka out) on a backlog, as a
 * ratio to (1), and (3) end-to-end latency percentiles at a paced rate (send → committed result read).
 */
@Command(name = "pipeline-benchmark", mixinStandardHelpOptions = true,
        description = "Measures raw ONNX throughput, pipeline throughput and paced end-to-end latency.")
public final class PipelineBenchmark implements Callable<Integer> {
    @Option(names = "--manifest", defaultValue = "models/manifest.json")
    Path manifest;

    @Option(names = "--spectrum", defaultValue = "services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi",
            description = "Spectrum file streamed (its element must have a model).")
    Path spectrum;

    @Option(names = "--backlog", defaultValue = "50000", description = "Spectra for the throughput run.")
    int backlog;

    @Option(names = "--batch", defaultValue = "256", description = "Batch size (raw ONNX and inference.max-batch).")
    int batch;

    @Option(names = "--input", defaultValue = "single", description = "Throughput input: single (one Spectrum "
            + "record per spectrum, a beamline) or batch (SpectrumBatch records of --rows float32 rows, an XFEL "
            + "pulse train).")
    String input;

    @Option(names = "--rows", defaultValue = "64", description = "Spectra per SpectrumBatch record (--input batch).")
    int rows;

    @Option(names = "--warmup", defaultValue = "100000", description = "Spectra through a first service instance "
            + "before the timed backlog (JIT warm-up).")
    int warmup;

    @Option(names = "--rate", defaultValue = "100", description = "Paced rate for the latency run (spectra/s).")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "Duration of the paced latency run.")
    int seconds;

    @Option(names = "--paced-warmup", defaultValue = "20", description = "Seconds of unmeasured paced run "
            + "before the measured one.")
    int pacedWarmup;

    @Option(names = "--set", description = "A service setting for this run, name=value (repeatable), e.g. "
            + "kafka.client.compression.type=none.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--broker", description = "A setting of the embedded broker for this run, name=value "
            + "(repeatable), e.g. add.partitions.to.txn.retry.backoff.ms=20.")
    Map<String, String> brokerSettings = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", description = "Use this running cluster (e.g. './xasstream broker', a "
            + "broker in its own JVM) instead of an embedded broker in this JVM; it must not hold the topics yet.")
    String bootstrapServers;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX intra-op threads (0: ONNX Runtime's choice).")
    int threads;

    @Option(names = "--sessions", defaultValue = "1", description = "ONNX Runtime sessions per model (raw ONNX and "
            + "inference.sessions-per-model).")
    int sessions;

    @CommandLine.Mixin
    SameRunOptions same = new SameRunOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SpectrumFile file = SpectrumFileReader.read(spectrum);
        String element = file.element().orElseThrow();
        if (bootstrapServers != null && !brokerSettings.isEmpty()) {
            throw new IllegalArgumentException("--broker sets the embedded broker; with --bootstrap-servers set it on "
                    + "that broker");
        }
        // try-with-resources skips a null resource: no embedded broker when a cluster is given
        try (EmbeddedKafka kafka = bootstrapServers == null ? EmbeddedKafka.start(brokerSettings) : null;
             XasMetrics metrics = new XasMetrics("benchmark")) {
            Map<String, String> overrides = new LinkedHashMap<>(Map.of("bootstrap.servers",
                    kafka != null ? kafka.bootstrapServers() : bootstrapServers, "models.manifest", manifest.toAbsolutePath().toString(),
                    "inference.execution-provider", "cpu", "inference.max-batch", String.valueOf(batch),
                    "inference.intra-op-threads", String.valueOf(threads), "inference.sessions-per-model",
                    String.valueOf(sessions), "topics.partitions", "1"));
            overrides.putAll(settings);
            XasConfig cfg = XasConfig.load(null, Map.of(), overrides);
            Bench bench = new Bench(cfg, new Topics(cfg), new KafkaClients(cfg), metrics, file);
            try (Admin admin = bench.clients.admin()) {
                TopicAdmin.ensure(admin, bench.topics.all(), cfg);
            }
            var comparison = new SameRunComparison(cfg, bench.topics, bench.clients, metrics, new BenchSpectra(file),
                    same.options(rate, seconds, backlog));
            // (2) a warm-up backlog through a first service instance (JIT, Kafka metadata), then the timed backlog
            // through a second one in the same JVM: throughput from its first result to its last, startup excluded
            produce(bench, "warmup", warmup);
            try (var consumer = resultsConsumer(bench); InferenceService service = bench.startService()) {
                drain(consumer, warmup);
            }
            var backlogFrom = comparison.spectraEnd();
            produce(bench, "backlog", backlog);
            var backlogUntil = comparison.spectraEnd();
            // (1) raw ONNX right before and right after the timed backlog, on the same (idle) machine: this VM's
            // speed drifts by ±15 % over minutes, and the ratio should compare like with like
            double rawBefore = rawOnnx(file, element);
            Throughput throughput;
            double rawAfter;
            Paced paced = new Paced();
            try (var consumer = resultsConsumer(bench); InferenceService service = bench.startService()) {
                throughput = timedBacklog(consumer, metrics);
                rawAfter = rawOnnx(file, element);
                // (3) a first unmeasured pass warms the low-rate code paths (one spectrum per transaction) in the JIT
                pace(bench, consumer, "paced-warmup", pacedWarmup, null);
                pace(bench, consumer, "paced", seconds, paced);
            }
            var outcome = comparison.run(backlogFrom, backlogUntil, input.equals("batch") ? rows : 1);
            report(element, rawBefore, rawAfter, throughput, paced, metrics);
            SameRunComparison.print(System.out, outcome, (rawBefore + rawAfter) / 2, throughput.perSecond(),
                    throughput.cpu(), backlog, input.equals("batch") ? "pulse trains of " + rows : "single records");
        }
        return 0;
    }

    /** What every stage of the run needs. */
    private record Bench(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics, SpectrumFile file) {
        InferenceService startService() throws Exception {
            return InferenceService.start(cfg, topics, clients, metrics, new Readiness(),
                    InferenceService.Target.live(cfg, topics));
        }
    }

    /** The timed backlog: spectra/s, CPU by thread (ns) and the inference batches it took. */
    private record Throughput(double perSecond, Map<String, Long> cpu, long batches, double meanBatch) {
    }

    /** The measured paced pass: send → result read, and where it went; CPU by thread (ns). */
    private static final class Paced {
        final Histogram latency = new Histogram(3_600_000_000L, 3);
        final Histogram toReceived = new Histogram(3_600_000_000L, 3); // sent → picked up by the service
        final Histogram toInferred = new Histogram(3_600_000_000L, 3); // picked up → inferred
        final Histogram toRead = new Histogram(3_600_000_000L, 3); // inferred → committed and read
        Map<String, Long> cpu = Map.of();
        long transactions;
        long transactionsOver10Ms;
        long transactionsOver20Ms;
        final Map<String, Long> stepsOver10Ms = new LinkedHashMap<>();

        /** Transactions committed between two snapshots of the commit-time histogram, and how many were slow. */
        void transactions(HistogramSnapshot before, HistogramSnapshot after) {
            transactions = after.count() - before.count();
            transactionsOver10Ms = over(before, after, 10e6);
            transactionsOver20Ms = over(before, after, 20e6);
        }

        /** Recordings between two snapshots of one timer that took longer than {@code nanos}. */
        static long over(HistogramSnapshot before, HistogramSnapshot after, double nanos) {
            return after.count() - before.count() - (atMost(after, nanos) - atMost(before, nanos));
        }

        /** Count in the largest bucket not above {@code nanos} (Micrometer's buckets are cumulative). */
        private static long atMost(HistogramSnapshot h, double nanos) {
            long n = 0;
            for (var b : h.histogramCounts()) {
                if (b.bucket(TimeUnit.NANOSECONDS) <= nanos) {
                    n = (long) b.count();
                }
            }
            return n;
        }

        void record(InferenceResult result, Instant read) {
            var t = result.getTimings();
            latency.recordValue(micros(t.getAcquiredAt(), read));
            toReceived.recordValue(micros(t.getAcquiredAt(), t.getReceivedAt()));
            toInferred.recordValue(micros(t.getReceivedAt(), t.getInferredAt()));
            toRead.recordValue(micros(t.getInferredAt(), read));
        }

        private static long micros(Instant from, Instant to) {
            return Math.max(0, ChronoUnit.MICROS.between(from, to));
        }
    }

    /** Reads the backlog's results; the clock starts at the first results read, so start-up is not timed. */
    private Throughput timedBacklog(KafkaConsumer<byte[], byte[]> consumer, XasMetrics metrics) {
        long batchesBefore = metrics.batchSize("inference").count();
        double batchTotalBefore = metrics.batchSize("inference").totalAmount();
        long seen = 0;
        long first = 0;
        long untimed = 0;
        Map<String, Long> cpuBefore = null;
        while (seen < backlog) {
            int n = consumer.poll(Duration.ofMillis(100)).count();
            if (n > 0 && first == 0) {
                first = System.nanoTime();
                cpuBefore = ThreadCpu.byName();
                untimed = n;
            }
            seen += n;
        }
        double perSecond = (backlog - untimed) / ((System.nanoTime() - first) / 1e9);
        Map<String, Long> cpu = ThreadCpu.since(cpuBefore);
        long batches = metrics.batchSize("inference").count() - batchesBefore;
        double mean = (metrics.batchSize("inference").totalAmount() - batchTotalBefore) / Math.max(1, batches);
        return new Throughput(perSecond, cpu, batches, mean);
    }

    /**
     * Sends spectra at {@code rate} for {@code secs} seconds (acquiredAt = send time) and reads their results
     * (latency = result read − send), recording into {@code into} unless it is null (a warm-up pass).
     */
    private void pace(Bench bench, KafkaConsumer<byte[], byte[]> consumer, String sample, int secs, Paced into)
            throws InterruptedException {
        try (var producer = new KafkaProducer<>(bench.clients.producer("bench-paced"),
                bench.topics.spectra.keySerde().serializer(), bench.topics.spectra.valueSerde().serializer())) {
            Spectrum template = new BenchSpectra(bench.file).template(sample);
            Random rnd = new Random(secs);
            int n = (int) (rate * secs);
            Map<String, Long> cpuBefore = ThreadCpu.byName();
            var tx = bench.metrics.meters().find("xas.inference.transaction.latency").timer();
            var txBefore = tx.takeSnapshot();
            Map<String, Timer> steps = new LinkedHashMap<>();
            for (String step : List.of("send", "offsets", "commit")) {
                steps.put(step, bench.metrics.meters().find("xas.inference.transaction.step").tag("step", step)
                        .timer());
            }
            Map<String, HistogramSnapshot> stepsBefore = new LinkedHashMap<>();
            steps.forEach((k, v) -> stepsBefore.put(k, v.takeSnapshot()));
            // The reader blocks in poll (returns as soon as results arrive) and the sender sleeps until each send
            // is due: the measuring tool must not spin on a 2-core machine.
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (received.get() < n) {
                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                        Instant now = Instant.now();
                        if (into != null) {
                            into.record((InferenceResult) bench.topics.results.valueSerde().deserializer()
                                    .deserialize(r.topic(), r.value()), now);
                        }
                        received.incrementAndGet();
                    }
                }
            }, "bench-reader");
            reader.start();
            long t0 = System.nanoTime();
            for (int sent = 0; sent < n; sent++) {
                Spectrum s = BenchSpectra.noisy(template, rnd);
                LockSupport.parkNanos(t0 + (long) (sent / rate * 1e9) - System.nanoTime());
                s.setSpectrumId(sample + "-" + sent);
                s.setAcquiredAt(Instant.now().truncatedTo(ChronoUnit.MICROS));
                producer.send(new ProducerRecord<>(bench.topics.spectra.name(), "bench/paced", s));
                producer.flush();
            }
            reader.join(120_000);
            if (into != null) {
                into.cpu = ThreadCpu.since(cpuBefore);
                into.transactions(txBefore, tx.takeSnapshot());
                steps.forEach((k, v) -> into.stepsOver10Ms.put(k, Paced.over(stepsBefore.get(k), v.takeSnapshot(),
                        10e6)));
            }
        }
    }

    private void report(String element, double rawBefore, double rawAfter, Throughput t, Paced paced,
                        XasMetrics metrics) {
        double raw = (rawBefore + rawAfter) / 2;
        System.out.printf(Locale.ROOT, "%nxasstream pipeline benchmark (%s, %d cores, Java %s)%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "ONNX Runtime: %s intra-op threads, %d session(s) per model%n",
                threads == 0 ? "default" : String.valueOf(threads), sessions);
        System.out.println("broker: " + (bootstrapServers == null ? "embedded in this JVM" + (brokerSettings.isEmpty()
                ? "" : ", " + brokerSettings) : "external at " + bootstrapServers + " (its own process)"));
        if (!settings.isEmpty()) {
            System.out.println("settings: " + settings);
        }
        System.out.printf(Locale.ROOT, "raw ONNX Runtime, batch %d, all models of %s: %,.0f spectra/s (mean of %,.0f "
                + "before and %,.0f after the timed backlog)%n", batch, element, raw, rawBefore, rawAfter);
        System.out.printf(Locale.ROOT, "pipeline (Kafka→decode→preprocess→ONNX→transactional Kafka), backlog "
                + "%d spectra as %s: %,.0f spectra/s = %.2f × raw (goal: against the limit, below)%n", backlog,
                input.equals("batch")
                ? "SpectrumBatch records of " + rows + " rows" : "one Spectrum record each", t.perSecond(),
                t.perSecond() / raw);
        long total = t.cpu().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf(Locale.ROOT, "CPU during the backlog run: %.1f µs per spectrum in all; by thread: %s%n",
                total / 1e3 / backlog, top(t.cpu(), 8, ns -> ns / 1e3 / backlog, "%s %.1f"));
        var onnx = metrics.meters().find("xas.inference.latency").timers();
        System.out.printf(Locale.ROOT, "timed backlog: %d inference batches, mean size %.1f; ONNX time per batch "
                + "and model (whole run): %s%n", t.batches(), t.meanBatch(), onnx.stream().map(x -> String.format(
                        Locale.ROOT, "%s %.2f ms", x.getId().getTag("model"), x.mean(TimeUnit.MILLISECONDS)))
                .toList());
        var tx = metrics.meters().find("xas.inference.transaction.latency").timer();
        if (tx != null) {
            System.out.printf(Locale.ROOT, "transactions: %d, mean %.2f ms, max %.2f ms; backpressure pauses: %.0f%n",
                    tx.count(), tx.mean(TimeUnit.MILLISECONDS), tx.max(TimeUnit.MILLISECONDS),
                    metrics.meters().find("xas.inference.backpressure.pauses").counter().count());
        }
        System.out.printf(Locale.ROOT, "end-to-end latency at %.0f spectra/s over %d s: p50 %.2f ms, p99 %.2f ms, "
                + "max %.2f ms (goal p99 ≤ 20 ms)%n", rate, seconds, paced.latency.getValueAtPercentile(50) / 1e3,
                paced.latency.getValueAtPercentile(99) / 1e3, paced.latency.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT, "  CPU during the paced run, ms per second by thread: %s%n",
                top(paced.cpu, 6, ns -> ns / 1e6 / seconds, "%s %.0f"));
        System.out.printf(Locale.ROOT, "  of which (p50 / p99 ms): sent→received %s, received→inferred %s, "
                + "inferred→committed and read %s%n", p50p99(paced.toReceived), p50p99(paced.toInferred),
                p50p99(paced.toRead));
        System.out.printf(Locale.ROOT, "  transactions in the paced run: %d, of which over 10 ms: %d, over 20 ms: %d; "
                + "steps over 10 ms: %s%n", paced.transactions, paced.transactionsOver10Ms,
                paced.transactionsOver20Ms, paced.stepsOver10Ms);
    }

    private static List<String> top(Map<String, Long> cpu, int n, LongToDoubleFunction scale,
                                    String format) {
        return cpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .map(e -> String.format(Locale.ROOT, format, e.getKey(), scale.applyAsDouble(e.getValue()))).toList();
    }

    private static String p50p99(Histogram h) {
        return String.format(Locale.ROOT, "%.2f / %.2f", h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3);
    }

    /** Spectra/s of the manifest's models for this element run back to back on ready inputs, batch by batch. */
    private double rawOnnx(SpectrumFile file, String element) throws Exception {
        try (ModelRegistry registry = ModelRegistry.load(manifest, new SessionSettings(ExecutionDevice.CPU, threads,
                sessions))) {
            List<LoadedModel> models = registry.forEdge(element, "K");
            float[][][] inputs = new float[models.size()][batch][];
            for (int m = 0; m < models.size(); m++) {
                double[] in = Preprocessor.preprocess(file.energy(), file.mu(), element, Edge.K,
                        models.get(m).spec()).modelInput();
                for (int b = 0; b < batch; b++) {
                    inputs[m][b] = new float[in.length];
                    for (int k = 0; k < in.length; k++) {
                        inputs[m][b][k] = (float) in[k];
                    }
                }
            }
            for (int warm = 0; warm < 20; warm++) {
                for (int m = 0; m < models.size(); m++) {
                    models.get(m).run(inputs[m]);
                }
            }
            long spectra = 0;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 5_000_000_000L) {
                for (int m = 0; m < models.size(); m++) {
                    models.get(m).run(inputs[m]);
                }
                spectra += batch;
            }
            return spectra / ((System.nanoTime() - start) / 1e9);
        }
    }

    private void produce(Bench bench, String sample, int n) {
        if (input.equals("batch")) {
            produceBatches(bench, sample, n);
            return;
        }
        Topics topics = bench.topics;
        try (var producer = new KafkaProducer<>(bench.clients.producer("bench"), topics.spectra.keySerde().serializer(),
                topics.spectra.valueSerde().serializer())) {
            Spectrum template = new BenchSpectra(bench.file).template(sample);
            Random rnd = new Random(n);
            for (int i = 0; i < n; i++) {
                Spectrum s = BenchSpectra.noisy(template, rnd);
                s.setSpectrumId(sample + "-" + i);
                producer.send(new ProducerRecord<>(topics.spectra.name(), "bench/" + sample, s));
            }
            producer.flush();
        }
    }

    /** n spectra as SpectrumBatch records of {@code rows} float32 rows of the file's mu (a pulse train each). */
    private void produceBatches(Bench bench, String sample, int n) {
        BenchSpectra spectra = new BenchSpectra(bench.file);
        Random rnd = new Random(n);
        try (var producer = new KafkaProducer<>(bench.clients.producer("bench"),
                bench.topics.spectra.keySerde().serializer(), bench.topics.spectra.valueSerde().serializer())) {
            for (int start = 0, train = 0; start < n; start += rows, train++) {
                List<String> ids = new ArrayList<>();
                for (int r = start; r < Math.min(start + rows, n); r++) {
                    ids.add(sample + "-" + r);
                }
                SpectrumBatch b = spectra.train(sample, train, ids, Instant.now().truncatedTo(ChronoUnit.MICROS), rnd);
                producer.send(new ProducerRecord<>(bench.topics.spectra.name(), "bench/" + sample, b));
            }
            producer.flush();
        }
    }

    private static void drain(KafkaConsumer<byte[], byte[]> consumer, long n) {
        long seen = 0;
        while (seen < n) {
            seen += consumer.poll(Duration.ofMillis(100)).count();
        }
    }

    private static KafkaConsumer<byte[], byte[]> resultsConsumer(Bench bench) {
        var consumer = new KafkaConsumer<>(bench.clients.consumer("bench-results", null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(bench.topics.results.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
