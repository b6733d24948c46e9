package io.xasstream.loadtests.pipeline;

import io.xasstream.common.config.ExecutionDevice;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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

    private long batchesTimed;
    private double batchMeanTimed;

    @Option(names = "--rate", defaultValue = "100", description = "Paced rate for the latency run (spectra/s).")
    double rate;

    @Option(names = "--seconds", defaultValue = "30", description = "Duration of the paced latency run.")
    int seconds;

    @Option(names = "--paced-warmup", defaultValue = "20", description = "Seconds of unmeasured paced run "
            + "before the measured one.")
    int pacedWarmup;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX intra-op threads (0: ONNX Runtime's choice).")
    int threads;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SpectrumFile file = SpectrumFileReader.read(spectrum);
        String element = file.element().orElseThrow();
        double raw = rawOnnx(file, element);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); XasMetrics metrics = new XasMetrics("benchmark")) {
            XasConfig cfg = XasConfig.load(null, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                    "models.manifest", manifest.toAbsolutePath().toString(), "inference.execution-provider", "cpu",
                    "inference.max-batch", String.valueOf(batch), "inference.intra-op-threads",
                    String.valueOf(threads), "topics.partitions", "1"));
            Topics topics = new Topics(cfg);
            KafkaClients clients = new KafkaClients(cfg);
            try (Admin admin = clients.admin()) {
                TopicAdmin.ensure(admin, topics.all(), cfg);
            }
            // (2) a warm-up backlog through a first service instance (JIT, Kafka metadata), then the timed backlog
            // through a second one in the same JVM: throughput from its first result to its last, startup excluded
            produce(clients, topics, file, "warmup", warmup);
            try (var consumer = resultsConsumer(clients, topics);
                 InferenceService service = InferenceService.start(cfg, topics, clients, metrics, new Readiness(),
                         InferenceService.Target.live(cfg, topics))) {
                drain(consumer, warmup);
            }
            produce(clients, topics, file, "backlog", backlog);
            double pipeline;
            Map<String, Long> cpu;
            Map<String, Long> pacedCpu = Map.of();
            Histogram latency = new Histogram(3_600_000_000L, 3);
            // where the paced latency goes: send → picked up by the service, → inferred, → committed and read
            Histogram toReceived = new Histogram(3_600_000_000L, 3);
            Histogram toInferred = new Histogram(3_600_000_000L, 3);
            Histogram toRead = new Histogram(3_600_000_000L, 3);
            long batchesBefore = metrics.batchSize("inference").count();
            double batchTotalBefore = metrics.batchSize("inference").totalAmount();
            try (var consumer = resultsConsumer(clients, topics)) {
                try (InferenceService service = InferenceService.start(cfg, topics, clients, metrics,
                        new Readiness(), InferenceService.Target.live(cfg, topics))) {
                    long seen = 0;
                    long first = 0;
                    long untimed = 0;
                    Map<String, Long> cpuBefore = null;
                    while (seen < backlog) {
                        int n = consumer.poll(Duration.ofMillis(100)).count();
                        if (n > 0 && first == 0) {
                            first = System.nanoTime();
                            cpuBefore = ThreadCpu.byName();
                            untimed = n; // the first results read start the clock
                        }
                        seen += n;
                    }
                    pipeline = (backlog - untimed) / ((System.nanoTime() - first) / 1e9);
                    cpu = ThreadCpu.since(cpuBefore);
                    batchesTimed = metrics.batchSize("inference").count() - batchesBefore;
                    batchMeanTimed = (metrics.batchSize("inference").totalAmount() - batchTotalBefore)
                            / Math.max(1, batchesTimed);

                    // (3) paced run: acquiredAt = send time, latency = result read − send; a first unmeasured pass
                    // warms the low-rate code paths (one spectrum per transaction) in the JIT
                    for (int round = 0; round < 2; round++) {
                        final int pass = round;
                        try (var producer = new KafkaProducer<>(clients.producer("bench-paced"),
                                topics.spectra.keySerde().serializer(), topics.spectra.valueSerde().serializer())) {
                            Spectrum s = spectrum(file, pass == 0 ? "paced-warmup" : "paced");
                            int n = (int) (rate * (pass == 0 ? pacedWarmup : seconds));
                            Map<String, Long> pacedCpuBefore = ThreadCpu.byName();
                            // The reader blocks in poll (returns as soon as results arrive) and the sender sleeps until
                            // each send is due: the measuring tool must not spin on a 2-core machine.
                            java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic
                                    .AtomicInteger();
                            Thread reader = new Thread(() -> {
                                while (received.get() < n) {
                                    for (var r : consumer.poll(Duration.ofMillis(100))) {
                                        Instant now = Instant.now();
                                        InferenceResult res = (InferenceResult) topics.results.valueSerde()
                                                .deserializer().deserialize(r.topic(), r.value());
                                        var t = res.getTimings();
                                        if (pass == 0) {
                                            received.incrementAndGet();
                                            continue;
                                        }
                                        latency.recordValue(Math.max(0, ChronoUnit.MICROS.between(t.getAcquiredAt(),
                                                now)));
                                        toReceived.recordValue(Math.max(0, ChronoUnit.MICROS.between(
                                                t.getAcquiredAt(), t.getReceivedAt())));
                                        toInferred.recordValue(Math.max(0, ChronoUnit.MICROS.between(
                                                t.getReceivedAt(), t.getInferredAt())));
                                        toRead.recordValue(Math.max(0, ChronoUnit.MICROS.between(t.getInferredAt(),
                                                now)));
                                        received.incrementAndGet();
                                    }
                                }
                            }, "bench-reader");
                            reader.start();
                            long t0 = System.nanoTime();
                            for (int sent = 0; sent < n; sent++) {
                                long due = t0 + (long) (sent / rate * 1e9);
                                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
                                s.setSpectrumId((pass == 0 ? "paced-warmup-" : "paced-") + sent);
                                s.setAcquiredAt(Instant.now().truncatedTo(ChronoUnit.MICROS));
                                producer.send(new ProducerRecord<>(topics.spectra.name(), "bench/paced", s));
                                producer.flush();
                            }
                            reader.join(120_000);
                            pacedCpu = ThreadCpu.since(pacedCpuBefore);
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nxasstream pipeline benchmark (%s, %d cores, Java %s)%n",
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            System.out.printf(Locale.ROOT, "raw ONNX Runtime, batch %d, all models of %s: %,.0f spectra/s%n", batch,
                    element, raw);
            System.out.printf(Locale.ROOT, "pipeline (Kafka→decode→preprocess→ONNX→transactional Kafka), backlog "
                    + "%d spectra as %s: %,.0f spectra/s = %.2f × raw (goal ≥ 0.9)%n", backlog, input.equals("batch")
                    ? "SpectrumBatch records of " + rows + " rows" : "one Spectrum record each", pipeline,
                    pipeline / raw);
            long total = cpu.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf(Locale.ROOT, "CPU during the backlog run: %.1f µs per spectrum in all; by thread: %s%n",
                    total / 1e3 / backlog, cpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue()
                            .reversed()).limit(8).map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(),
                            e.getValue() / 1e3 / backlog)).toList());
            var onnx = metrics.meters().find("xas.inference.latency").timers();
            System.out.printf(Locale.ROOT, "timed backlog: %d inference batches, mean size %.1f; ONNX time per batch "
                    + "and model (whole run): %s%n", batchesTimed, batchMeanTimed, onnx.stream().map(t -> String.format(
                    Locale.ROOT, "%s %.2f ms",
                            t.getId().getTag("model"), t.mean(java.util.concurrent.TimeUnit.MILLISECONDS))).toList());
            var tx = metrics.meters().find("xas.inference.transaction.latency").timer();
            if (tx != null) {
                System.out.printf(Locale.ROOT, "transactions: %d, mean %.2f ms, max %.2f ms; backpressure pauses: "
                        + "%.0f%n",
                        tx.count(), tx.mean(java.util.concurrent.TimeUnit.MILLISECONDS),
                        tx.max(java.util.concurrent.TimeUnit.MILLISECONDS),
                        metrics.meters().find("xas.inference.backpressure.pauses").counter().count());
            }
            System.out.printf(Locale.ROOT, "end-to-end latency at %.0f spectra/s over %d s: p50 %.2f ms, p99 %.2f ms, "
                    + "max %.2f ms (goal p99 ≤ 20 ms)%n", rate, seconds, latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
            System.out.printf(Locale.ROOT, "  CPU during the paced run, ms per second by thread: %s%n",
                    pacedCpu.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                            .limit(6).map(e -> String.format(Locale.ROOT, "%s %.0f", e.getKey(),
                                    e.getValue() / 1e6 / seconds)).toList());
            System.out.printf(Locale.ROOT, "  of which (p50 / p99 ms): sent→received %.2f / %.2f, received→inferred "
                    + "%.2f / %.2f, inferred→committed and read %.2f / %.2f%n",
                    toReceived.getValueAtPercentile(50) / 1e3, toReceived.getValueAtPercentile(99) / 1e3,
                    toInferred.getValueAtPercentile(50) / 1e3, toInferred.getValueAtPercentile(99) / 1e3,
                    toRead.getValueAtPercentile(50) / 1e3, toRead.getValueAtPercentile(99) / 1e3);
        }
        return 0;
    }

    /** Spectra/s of the manifest's models for this element run back to back on ready inputs, batch by batch. */
    private double rawOnnx(SpectrumFile file, String element) throws Exception {
        try (ModelRegistry registry = ModelRegistry.load(manifest, ExecutionDevice.CPU, threads)) {
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

    private void produce(KafkaClients clients, Topics topics, SpectrumFile file, String sample, int n) {
        if (input.equals("batch")) {
            produceBatches(clients, topics, file, sample, n);
            return;
        }
        try (var producer = new KafkaProducer<>(clients.producer("bench"), topics.spectra.keySerde().serializer(),
                topics.spectra.valueSerde().serializer())) {
            Spectrum s = spectrum(file, sample);
            for (int i = 0; i < n; i++) {
                s.setSpectrumId(sample + "-" + i);
                producer.send(new ProducerRecord<>(topics.spectra.name(), "bench/" + sample, s));
            }
            producer.flush();
        }
    }

    /** n spectra as SpectrumBatch records of {@code rows} float32 rows of the file's mu (a pulse train each). */
    private void produceBatches(KafkaClients clients, Topics topics, SpectrumFile file, String sample, int n) {
        double[] mu = file.mu();
        int points = mu.length;
        List<Double> energy = java.util.Arrays.stream(file.energy()).boxed().toList();
        try (var producer = new KafkaProducer<>(clients.producer("bench"), topics.spectra.keySerde().serializer(),
                topics.spectra.valueSerde().serializer())) {
            for (int start = 0, train = 0; start < n; start += rows, train++) {
                int count = Math.min(rows, n - start);
                java.nio.ByteBuffer m = java.nio.ByteBuffer.allocate(count * points * 4)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                List<String> ids = new java.util.ArrayList<>(count);
                List<Instant> times = new java.util.ArrayList<>(count);
                Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                for (int r = 0; r < count; r++) {
                    ids.add(sample + "-" + (start + r));
                    times.add(now);
                    for (double v : mu) {
                        m.putFloat((float) v);
                    }
                }
                m.flip();
                SpectrumBatch b = SpectrumBatch.newBuilder().setBatchId(sample + "-train-" + train)
                        .setSource(SourceIds.newBuilder().setFacility("x").setBeamline("bench")
                                .setExperimentId("bench").setSampleId(sample).build())
                        .setTrainId((long) train).setElement(file.element().orElseThrow())
                        .setEdge(io.xasstream.schema.common.AbsorptionEdge.K)
                        .setMode(io.xasstream.schema.common.MeasurementMode.TRANSMISSION)
                        .setEnergy(new ExplicitEnergyAxis(energy)).setCount(count).setSpectrumIds(ids)
                        .setAcquiredAt(times).setMu(m).build();
                producer.send(new ProducerRecord<>(topics.spectra.name(), "bench/" + sample, b));
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

    private Spectrum spectrum(SpectrumFile file, String sample) {
        return SpectrumRecords.fromFile(file, new SpectrumRecords.Context("x", "bench", "bench", "bench", sample, null,
                null, null, Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), Map.of()));
    }

    private static KafkaConsumer<byte[], byte[]> resultsConsumer(KafkaClients clients, Topics topics) {
        var consumer = new KafkaConsumer<>(clients.consumer("bench-results", null), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topics.results.name()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
