package io.xasstream.app.cli;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.xasstream.app.demo.DemoFeeder;
import io.xasstream.app.demo.DemoSeries;
import io.xasstream.app.demo.DemoSettings;
import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.app.platform.ServiceHost;
import io.xasstream.app.platform.Services;
import io.xasstream.app.platform.ShutdownSignal;
import io.xasstream.app.send.SpectrumPublisher;
import io.xasstream.common.config.XasConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Everything on one machine: embedded Kafka, the services, and a synthetic operando experiment streaming in. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker (unless bootstrap.servers is set), create the topics, start "
                + "the services and stream bundled synthetic operando series (Fe2O3 and CuO reductions) into them. Prints "
                + "the URLs; Ctrl-C stops everything cleanly.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop by itself after SECONDS (0: run until Ctrl-C).")
    double duration;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        XasConfig requested = config.load();
        List<DemoSeries> series = new ArrayList<>();
        for (String name : requested.get(DemoSettings.SERIES).split(",")) {
            if (!name.isBlank()) {
                series.add(DemoSeries.load(name.trim()));
            }
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             KafkaPlatform kafka = KafkaPlatform.start(requested);
             ServiceHost host = ServiceHost.start(kafka.config(), "xasstream-demo");
             Services services = Services.start(kafka, host);
             SpectrumPublisher publisher = new SpectrumPublisher(kafka.clients(), kafka.topics().spectra,
                     host.metrics(), "demo")) {
            XasConfig cfg = kafka.config();
            List<String> feeders = new ArrayList<>();
            for (DemoSeries s : series) {
                feeders.add(host.deploy(new DemoFeeder(s, publisher, cfg.get(DemoSettings.RATE),
                        cfg.get(DemoSettings.LOOP)), new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
            }
            String bootstrap = cfg.get(XasConfig.BOOTSTRAP_SERVERS);
            String mgmt = host.managementUrl(cfg);
            out.println();
            out.println("xasstream demo is running" + (kafka.isEmbedded() ? " on an embedded Kafka broker" : ""));
            out.println("  dashboard               : " + services.dashboardUrl(cfg));
            out.println("  Kafka bootstrap servers : " + bootstrap);
            out.println("  topics                  : " + kafka.topics().all());
            out.println("  health                  : " + mgmt + "/health");
            out.println("  readiness               : " + mgmt + "/ready");
            out.println("  metrics (Prometheus)    : " + mgmt + "/metrics");
            out.println("  models                  : " + mgmt + "/models");
            out.println("  operando state (HTTP)   : " + services.httpUrl(cfg) + "/samples");
            for (DemoSeries s : series) {
                out.println("  streaming               : series '" + s.name() + "', " + s.spectra().size()
                        + " spectra at " + cfg.get(DemoSettings.RATE) + "/s into " + kafka.topics().spectra.name());
            }
            out.println("  results                 : ./xasstream tail -b " + bootstrap);
            out.println("  dead letters            : ./xasstream tail --topic rejected -b " + bootstrap);
            out.println("Press Ctrl-C to stop.");
            out.flush();
            try {
                signal.await(duration);
            } finally {
                out.println("stopping ...");
                out.flush();
                feeders.forEach(host::undeploy); // before the publisher they write with is closed, also when interrupted
            }
        }
        out.println("stopped");
        out.flush();
        return 0;
    }
}
