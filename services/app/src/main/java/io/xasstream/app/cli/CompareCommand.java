package io.xasstream.app.cli;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.monitor.compare.ResultComparison;
import io.xasstream.monitor.compare.ResultTopics;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Per-sample differences between two result topics (old vs new model), as a table or JSON. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two result topics (e.g. xas.results and xas.results.<version> of a replay) spectrum "
                + "by spectrum: changed oxidation states and CNs per sample, mean |Δ| of the pseudo-PDF. Reads both "
                + "topics to their current end (committed records only), never joins a consumer group.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "TOPIC_A",
            description = "The old results: xas.results, xas.results.shadow or xas.results.<version>.")
    String topicA;

    @Parameters(index = "1", paramLabel = "TOPIC_B", description = "The new results, same forms.")
    String topicB;

    @Option(names = "--json", description = "One JSON document instead of the table.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (KafkaPlatform kafka = KafkaPlatform.connect(config.load())) {
            var a = ResultTopics.resolve(kafka.topics(), topicA);
            var b = ResultTopics.resolve(kafka.topics(), topicB);
            ResultComparison comparison = ResultComparison.read(kafka.clients(), a, b);
            out.println(json ? comparison.toJson().toPrettyString() : comparison.toTable());
            out.flush();
        }
        return 0;
    }
}
