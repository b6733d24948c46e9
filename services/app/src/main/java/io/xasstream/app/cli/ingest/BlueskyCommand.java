package io.xasstream.app.cli.ingest;

import io.xasstream.app.cli.ConfigOptions;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.bluesky.BlueskyIngest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ingest bluesky}: Bluesky documents from Kafka topics, one Spectrum per successful run. */
@Command(name = "bluesky", mixinStandardHelpOptions = true,
        description = "Read Bluesky documents (bluesky-kafka's msgpack [name, doc] messages) from the topics "
                + "matching --topics and publish one Spectrum per successful run, exactly once (Kafka Streams, "
                + "state of open runs in a changelog: a restart continues a run). Runs until stopped, or with "
                + "--once up to the end offsets found at start.")
public final class BlueskyCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--topics", required = true, paramLabel = "REGEX",
            description = "Topics to read, as a regular expression, e.g. '.*\\.bluesky\\.runengine\\.documents'.")
    String topics;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Mapping profile (YAML) merged over the bundled BMM-like default.")
    Path profile;

    @Option(names = "--once", description = "Read what is there now (up to the end offsets at start), then exit.")
    boolean once;

    @Option(names = "--live-every", paramLabel = "N", defaultValue = "0",
            description = "Also publish the partial scan every N points (quick-EXAFS feedback); 0: only finished runs.")
    int liveEvery;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Pattern pattern;
        try {
            pattern = Pattern.compile(topics);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--topics: not a regular expression: " + e.getDescription());
        }
        if (liveEvery < 0) {
            throw new IllegalArgumentException("--live-every must be >= 0");
        }
        try (IngestRuntime rt = new IngestRuntime(config.load(), "bluesky", profile)) {
            var ends = once ? BlueskyIngest.endOffsets(rt.config(), pattern) : null;
            try (BlueskyIngest ingest = BlueskyIngest.start(rt.config(), rt.kafka.topics(), pattern, rt.profile,
                    rt.metrics, rt.host.metrics().meters(), liveEvery)) {
                rt.banner(out, "ingest bluesky: topics /" + pattern + "/ → " + rt.kafka.topics().spectra.name()
                        + " (application.id " + rt.config().get(IngestSettings.BLUESKY_APPLICATION_ID) + ")");
                if (once) {
                    boolean done = false;
                    while (!done && !rt.signal.requested()) {
                        done = ingest.awaitCommitted(ends, Duration.ofSeconds(1));
                    }
                } else {
                    rt.signal.await(0);
                }
            }
            out.println("ingest bluesky: " + rt.summary());
        }
        return 0;
    }
}
