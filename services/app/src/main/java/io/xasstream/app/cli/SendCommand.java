package io.xasstream.app.cli;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.app.send.SpectrumPublisher;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileException;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.schema.spectrum.Spectrum;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Publishes spectrum files (XDI or column text) to the spectra topic, one Spectrum record per file. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Publish spectrum files (XDI 1.0/1.1 or plain columns) to the spectra topic. A directory "
                + "sends its *.xdi, *.dat, *.txt, *.xmu files in name order. A file that cannot be read is reported "
                + "with its line and skipped; the exit code is 1 if any was.")
public final class SendCommand implements Callable<Integer> {
    private static final List<String> EXTENSIONS = List.of(".xdi", ".dat", ".txt", ".xmu", ".nor");

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Spectrum files or directories.")
    List<Path> inputs;

    @Option(names = "--experiment", defaultValue = "local", description = "Experiment id (default: ${DEFAULT-VALUE}).")
    String experiment;

    @Option(names = "--sample", description = "Sample id (default: the header's Sample.name, else the file name).")
    String sample;

    @Option(names = "--facility", defaultValue = "", description = "Facility name.")
    String facility;

    @Option(names = "--beamline", defaultValue = "", description = "Beamline name.")
    String beamline;

    @Option(names = "--scan", description = "Scan id.")
    String scan;

    @Option(names = "--element", description = "Absorber symbol, when the header lacks it (or to override it).")
    String element;

    @Option(names = "--edge", description = "Edge (K, L3 ...), default the header's or K.")
    String edge;

    @Option(names = "--condition", paramLabel = "NAME=VALUE[UNIT]",
            description = "Operando condition added to every spectrum (repeatable), e.g. temperature=250C.")
    Map<String, String> conditions = new LinkedHashMap<>();

    @Option(names = "--rate", defaultValue = "0", description = "Spectra per second; 0 sends as fast as possible.")
    double rate;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    private Map<String, SpectrumFile.Condition> parsedConditions = Map.of();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> files = expand(inputs);
        if (files.isEmpty()) {
            err.println("error: no spectrum files in " + inputs);
            return 2;
        }
        parsedConditions = Conditions.parse(conditions);
        int failed = 0;
        int sent = 0;
        try (KafkaPlatform kafka = KafkaPlatform.connect(config.load());
             SpectrumPublisher publisher = new SpectrumPublisher(kafka.clients(), kafka.topics().spectra, null,
                     "send");
             ProgressBar bar = progressBar(files.size())) {
            List<Future<?>> pending = new ArrayList<>();
            long start = System.nanoTime();
            for (Path file : files) {
                try {
                    SpectrumFile sf = SpectrumFileReader.read(file, file.toString());
                    Spectrum spectrum = SpectrumRecords.fromFile(sf, context(sf, file));
                    pending.add(publisher.publish(spectrum));
                    sent++;
                } catch (SpectrumFileException | IllegalArgumentException e) {
                    failed++;
                    err.println("error: " + e.getMessage());
                }
                if (bar != null) {
                    bar.step();
                }
                throttle(start, sent + failed);
            }
            publisher.flush();
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failed++;
                    sent--;
                    err.println("error: publish failed: " + e.getCause());
                }
            }
            out.printf(Locale.ROOT, "sent %d spectra to %s%s%n", sent, kafka.topics().spectra.name(),
                    failed > 0 ? " (" + failed + " failed)" : "");
        }
        return failed > 0 ? 1 : 0;
    }

    private SpectrumRecords.Context context(SpectrumFile sf, Path file) {
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        String sampleId = sample != null ? sample : sf.sampleName().orElse(stem);
        return new SpectrumRecords.Context(UUID.randomUUID().toString(), facility, beamline, experiment, sampleId,
                scan, element, edge, sf.startTime().orElse(Instant.now()), parsedConditions, Map.of());
    }

    private void throttle(long startNanos, int done) throws InterruptedException {
        if (rate <= 0) {
            return;
        }
        long due = startNanos + (long) (done / rate * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    private ProgressBar progressBar(int total) {
        if (quiet || total < 2) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("send").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(
                        System.err)).showSpeed().build();
    }

    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(Files::isRegularFile)
                            .filter(f -> EXTENSIONS.stream().anyMatch(ext ->
                                    f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(ext)))
                            .sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }
}
