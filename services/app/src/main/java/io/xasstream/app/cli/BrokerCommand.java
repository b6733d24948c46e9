package io.xasstream.app.cli;

import io.xasstream.app.platform.ShutdownSignal;
import io.xasstream.kafka.embedded.EmbeddedKafka;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The embedded single-node KRaft broker on its own, in its own process: services, senders and benchmarks then
 * reach it by {@code --bootstrap-servers} like any cluster, and do not share its heap, GC pauses or JIT.
 */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Run only the embedded Kafka broker (single node, KRaft) until Ctrl-C, for services started "
                + "separately with -b HOST:PORT. A development cluster: one replica, no security.")
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9092",
            description = "Listener port on 127.0.0.1 (0: a free port). Default ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep the broker's logs here across restarts (default: a temporary directory deleted on "
                    + "stop).")
    Path dataDir;

    @Option(names = "--broker-set", paramLabel = "NAME=VALUE",
            description = "A Kafka broker setting over the embedded defaults (repeatable).")
    Map<String, String> brokerSettings = new LinkedHashMap<>();

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop by itself after SECONDS (0: run until Ctrl-C).")
    double duration;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ShutdownSignal signal = new ShutdownSignal();
             EmbeddedKafka kafka = dataDir != null ? EmbeddedKafka.start(dataDir, port, brokerSettings)
                     : EmbeddedKafka.startTemporary(port, brokerSettings)) {
            out.println("xasstream broker is running");
            out.println("  bootstrap servers : " + kafka.bootstrapServers());
            out.println("  data              : " + kafka.dataDir() + (dataDir == null ? " (deleted on stop)" : ""));
            out.println("  use it            : ./xasstream run -b " + kafka.bootstrapServers());
            out.println("Press Ctrl-C to stop.");
            out.flush();
            signal.await(duration);
            out.println("stopping ...");
            out.flush();
        }
        out.println("stopped");
        out.flush();
        return 0;
    }
}
