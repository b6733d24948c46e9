package io.xasstream.app.cli.ingest;

import io.xasstream.app.cli.ConfigOptions;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.tiled.TiledClient;
import io.xasstream.ingest.tiled.TiledIngest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest tiled}: Bluesky runs from a Tiled archive. */
@Command(name = "tiled", mixinStandardHelpOptions = true,
        description = "Search a Tiled catalog of Bluesky runs (optionally started since a time), map each finished "
                + "run with the profile and publish its Spectrum. A run is published once: its spectrum and a "
                + "checkpoint commit together, so the same search again publishes nothing. Without --once the "
                + "catalog is searched again every --poll seconds.")
public final class TiledCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--url", paramLabel = "URL", description = "Tiled server (default: ingest.tiled.url).")
    String url;

    @Option(names = "--catalog", required = true, paramLabel = "PATH",
            description = "Container of the runs, e.g. bmm/raw.")
    String catalog;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only runs started at or after TIME: ISO-8601 instant, a date (UTC), or epoch seconds.")
    String since;

    @Option(names = "--profile", paramLabel = "FILE", description = "Mapping profile (YAML) merged over the default.")
    Path profile;

    @Option(names = "--once", description = "One pass over the catalog, then exit.")
    boolean once;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "60",
            description = "Seconds between passes without --once (default: ${DEFAULT-VALUE}).")
    double poll;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Instant from = since == null ? null : parseSince(since);
        Map<String, String> overrides = new LinkedHashMap<>();
        if (url != null) {
            overrides.put(IngestSettings.TILED_URL.name(), url);
        }
        boolean failures = false;
        try (IngestRuntime rt = new IngestRuntime(config.load().with(overrides), "tiled", profile)) {
            TiledClient client = new TiledClient(rt.config().get(IngestSettings.TILED_URL),
                    rt.config().get(IngestSettings.TILED_API_KEY));
            try (TiledIngest ingest = new TiledIngest(rt.config(), rt.kafka.topics(), client, catalog, rt.profile,
                    rt.metrics)) {
                rt.banner(out, "ingest tiled: " + client.baseUrl() + " " + catalog + (from == null ? "" : " since "
                        + from) + " → " + rt.kafka.topics().spectra.name());
                do {
                    TiledIngest.Result r = pass(ingest, from);
                    out.printf("ingest tiled: %d runs found, %d published, %d rejected, %d already done, %d still "
                            + "running, %d not readable%n", r.found(), r.published(), r.rejected(), r.skipped(),
                            r.open(), r.failed());
                    out.flush();
                    failures = r.failed() > 0;
                } while (!once && !rt.signal.requested() && waitPoll(rt));
            }
        }
        return failures ? 1 : 0;
    }

    private boolean waitPoll(IngestRuntime rt) throws InterruptedException {
        rt.signal.await(poll);
        return !rt.signal.requested();
    }

    private TiledIngest.Result pass(TiledIngest ingest, Instant from) throws Exception {
        if (quiet) {
            return ingest.pass(from, new TiledIngest.Progress() {
                @Override
                public void total(long runs) {
                }

                @Override
                public void step() {
                }
            });
        }
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("tiled").setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build()) {
            return ingest.pass(from, new TiledIngest.Progress() {
                @Override
                public void total(long runs) {
                    bar.maxHint(runs);
                }

                @Override
                public void step() {
                    bar.step();
                }
            });
        }
    }

    static Instant parseSince(String text) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // not an instant: a date or epoch seconds
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            // not a date either
        }
        try {
            double s = Double.parseDouble(t);
            return Instant.ofEpochSecond((long) Math.floor(s), Math.round((s - Math.floor(s)) * 1e9));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--since: '" + text + "' is not an ISO-8601 instant, a date or epoch "
                    + "seconds");
        }
    }
}
