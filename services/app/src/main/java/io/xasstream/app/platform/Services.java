package io.xasstream.app.platform;

import io.vertx.core.DeploymentOptions;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.monitor.MonitorService;
import io.xasstream.monitor.query.MonitorHttpVerticle;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The xasstream services on one host (inference, monitor), started in order and closed in reverse. */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    /** The services a process can run. */
    public enum Name { INFERENCE, MONITOR }

    private final InferenceService inference;
    private final MonitorService monitor;
    private MonitorHttpVerticle monitorHttp;

    private Services(InferenceService inference, MonitorService monitor) {
        this.inference = inference;
        this.monitor = monitor;
    }

    /** Starts every service. */
    public static Services start(KafkaPlatform kafka, ServiceHost host) throws IOException {
        return start(kafka, host, EnumSet.allOf(Name.class));
    }

    /** Starts the chosen services against the platform's Kafka and registers their management routes. */
    public static Services start(KafkaPlatform kafka, ServiceHost host, Set<Name> which) throws IOException {
        var cfg = kafka.config();
        InferenceService inference = null;
        if (which.contains(Name.INFERENCE)) {
            InferenceService live = InferenceService.start(cfg, kafka.topics(), kafka.clients(), host.metrics(),
                    host.readiness(), InferenceService.Target.live(cfg, kafka.topics()));
            host.management().get("/models", ctx -> ctx.json(live.describeModels()));
            inference = live;
        }
        MonitorService monitor = null;
        MonitorHttpVerticle http = null;
        if (which.contains(Name.MONITOR)) {
            try {
                monitor = new MonitorService(cfg, kafka.topics(), host.metrics(), host.readiness()).start();
                http = monitor.httpVerticle();
                host.deploy(http, new DeploymentOptions());
            } catch (RuntimeException e) {
                new Services(inference, monitor).close();
                throw e;
            }
        }
        Services services = new Services(inference, monitor);
        services.monitorHttp = http;
        return services;
    }

    public MonitorService monitor() {
        return monitor;
    }

    /** Port of the monitor's query API, -1 when the monitor does not run here. */
    public int monitorPort() {
        return monitorHttp == null ? -1 : monitorHttp.actualPort();
    }

    public InferenceService inference() {
        return inference;
    }

    @Override
    public void close() {
        if (monitor != null) {
            try {
                monitor.close();
            } catch (RuntimeException e) {
                LOG.warn("monitor close: {}", e.toString());
            }
        }
        if (inference != null) {
            try {
                inference.close();
            } catch (RuntimeException e) {
                LOG.warn("inference close: {}", e.toString());
            }
        }
    }
}
