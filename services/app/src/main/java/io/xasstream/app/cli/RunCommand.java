package io.xasstream.app.cli;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.app.platform.ServiceHost;
import io.xasstream.app.platform.Services;
import io.xasstream.app.platform.ShutdownSignal;
import io.xasstream.common.config.XasConfig;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Runs the services against an external Kafka cluster until stopped (SIGTERM / Ctrl-C). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Start the services against the Kafka cluster named by bootstrap.servers (in --config FILE, "
                + "XASSTREAM_BOOTSTRAP_SERVERS or --bootstrap-servers). Missing topics are created when "
                + "topics.create=true. Stops cleanly on SIGTERM.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--services", split = ",", paramLabel = "NAME",
            description = "Services to run in this process: inference, monitor, dashboard (default: all). The "
                    + "dashboard alone only reads topics (a read-only Kafka principal will do).")
    List<String> services = List.of("inference", "monitor", "dashboard");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        XasConfig cfg = config.load();
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaPlatform kafka = KafkaPlatform.connect(cfg);
             ServiceHost host = ServiceHost.start(kafka.config(), "xasstream");
             Services running = Services.start(kafka, host, names(services))) {
            out.println("xasstream running against " + cfg.get(XasConfig.BOOTSTRAP_SERVERS) + "; management on "
                    + host.managementUrl(cfg));
            if (running.dashboard() != null) {
                out.println("dashboard: " + running.dashboardUrl(kafka.config()));
            }
            out.println("configuration: " + cfg);
            out.flush();
            signal.await(0);
        }
        return 0;
    }

    static Set<Services.Name> names(List<String> names) {
        Set<Services.Name> out = EnumSet.noneOf(Services.Name.class);
        for (String n : names) {
            try {
                out.add(Services.Name.valueOf(n.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown service '" + n + "' (inference, monitor, dashboard)");
            }
        }
        return out;
    }
}
