package io.xasstream.app.cli;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.inference.service.Replay;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-runs archived spectra through a chosen model version into a versioned results topic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the archived spectra topic through a chosen model version into a versioned results topic "
                + "(xas.results.<version>), exactly once, with its own consumer group: the live service's offsets are "
                + "never touched, and repeating the same replay adds nothing.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--from", paramLabel = "TIME|OFFSET", description = "Start: an ISO-8601 instant (record time), an "
            + "offset in every partition, or 'earliest' (default).")
    String from;

    @Option(names = "--until", paramLabel = "TIME|OFFSET", description = "End (exclusive): instant or offset; default "
            + "the end of the topic when the replay starts.")
    String until;

    @Option(names = "--model", required = true, paramLabel = "ID@VERSION",
            description = "The model version to replay through (must be in the manifest).")
    String model;

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Manifest holding that version (default: models.manifest).")
    Path manifest;

    @Option(names = "--output", required = true, paramLabel = "TOPIC|VERSION",
            description = "Results topic xas.results.<version> (or just <version>).")
    String output;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        XasConfig cfg = config.load();
        String results = new io.xasstream.common.topics.Topics(cfg).results.name() + ".";
        String version = output.startsWith(results) ? output.substring(results.length()) : output;
        Path manifestFile = manifest != null ? manifest : cfg.path(XasConfig.MODELS_MANIFEST, System.getenv());
        try (KafkaPlatform kafka = KafkaPlatform.connect(cfg); XasMetrics metrics = new XasMetrics("replay")) {
            Replay.Plan plan = Replay.plan(kafka.config(), kafka.topics(), kafka.clients(), model, manifestFile,
                    version, Replay.Bound.parse(from), Replay.Bound.parse(until));
            out.printf("replay %s → %s (group %s): %d spectra%n", model, plan.output().name(), plan.groupId(),
                    plan.total());
            out.flush();
            long done;
            if (quiet || plan.total() == 0) {
                done = Replay.run(kafka.config(), kafka.topics(), kafka.clients(), metrics, plan, n -> { });
            } else {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setInitialMax(plan.total())
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed().build()) {
                    done = Replay.run(kafka.config(), kafka.topics(), kafka.clients(), metrics, plan, bar::stepTo);
                }
            }
            out.printf("replayed %d spectra into %s%n", done, plan.output().name());
        }
        return 0;
    }
}
