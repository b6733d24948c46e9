package io.xasstream.app.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.app.platform.ServiceHost;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.service.Replay;
import io.xasstream.inference.service.ReplayVerticle;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Re-runs archived spectra through a chosen model version into a versioned results topic. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Run the archived spectra topic through a chosen model version into a versioned results topic "
                + "(xas.results.<version>), exactly once, with its own consumer group: the live service's offsets are "
                + "never touched, and repeating the same replay adds nothing.")
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
        String results = new Topics(cfg).results.name() + ".";
        String version = output.startsWith(results) ? output.substring(results.length()) : output;
        Path manifestFile = manifest != null ? manifest : cfg.path(InferenceSettings.MODELS_MANIFEST, System.getenv());
        try (KafkaPlatform kafka = KafkaPlatform.connect(cfg);
             ServiceHost host = ServiceHost.headless(kafka.config(), "replay")) {
            Replay.Plan plan = Replay.plan(kafka.config(), kafka.topics(), kafka.clients(), model, manifestFile,
                    version, Replay.Bound.parse(from), Replay.Bound.parse(until));
            out.printf("replay %s → %s (group %s): %d spectra%n", model, plan.output().name(), plan.groupId(),
                    plan.total());
            out.flush();
            ReplayVerticle replay = new ReplayVerticle(kafka.config(), kafka.topics(), kafka.clients(),
                    host.metrics(), plan);
            String deployment = host.deploy(replay, new DeploymentOptions());
            long done;
            if (quiet || plan.total() == 0) {
                done = await(replay, n -> { });
            } else {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName("replay").setInitialMax(plan.total())
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                        .showSpeed().build()) {
                    done = await(replay, bar::stepTo);
                }
            }
            host.undeploy(deployment);
            out.printf("replayed %d spectra into %s%n", done, plan.output().name());
        }
        return 0;
    }

    /** Waits for the replay's end, telling {@code progress} the spectra done four times a second. */
    private static long await(ReplayVerticle replay, LongConsumer progress) throws Exception {
        Future<Long> done = replay.done();
        while (!done.isComplete()) {
            Thread.sleep(250);
            progress.accept(replay.answered());
        }
        long n = done.await();
        progress.accept(n);
        return n;
    }
}
