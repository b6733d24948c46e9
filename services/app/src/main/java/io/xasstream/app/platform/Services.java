package io.xasstream.app.platform;

import io.vertx.core.DeploymentOptions;
import io.xasstream.common.config.XasConfig;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.inference.service.InferenceVerticle;
import io.xasstream.monitor.MonitorService;
import io.xasstream.monitor.query.MonitorHttpVerticle;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xasstream services on one host (inference, monitor), deployed as verticles of the {@link ServiceHost} in order
 * and stopped in reverse. {@code run --services} and the demo both start them here.
 */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    /** The services a process can run. */
    public enum Name { INFERENCE, MONITOR }

    private final ServiceHost host;
    private InferenceVerticle inference;
    private String inferenceDeployment;
    private MonitorService monitor;
    private MonitorHttpVerticle monitorHttp;

    private Services(ServiceHost host) {
        this.host = host;
    }

    /** Starts every service. */
    public static Services start(KafkaPlatform kafka, ServiceHost host) {
        return start(kafka, host, EnumSet.allOf(Name.class));
    }

    /** Deploys the chosen services against the platform's Kafka and registers their management routes. */
    public static Services start(KafkaPlatform kafka, ServiceHost host, Set<Name> which) {
        XasConfig cfg = kafka.config();
        Services services = new Services(host);
        try {
            if (which.contains(Name.INFERENCE)) {
                InferenceVerticle live = new InferenceVerticle(cfg, kafka.topics(), kafka.clients(), host.metrics(),
                        host.readiness(), InferenceService.Target.live(cfg, kafka.topics()));
                services.inferenceDeployment = host.deploy(live, new DeploymentOptions());
                services.inference = live;
                host.management().get("/models", ctx -> ctx.json(live.describeModels()));
            }
            if (which.contains(Name.MONITOR)) {
                services.monitor = new MonitorService(cfg, kafka.topics(), host.metrics(), host.readiness()).start();
                services.monitorHttp = services.monitor.httpVerticle();
                host.deploy(services.monitorHttp, new DeploymentOptions());
            }
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    public MonitorService monitor() {
        return monitor;
    }

    /** Port of the monitor's query API, -1 when the monitor does not run here. */
    public int monitorPort() {
        return monitorHttp == null ? -1 : monitorHttp.actualPort();
    }

    /** The inference service, null when it does not run here. */
    public InferenceService inference() {
        return inference == null ? null : inference.service();
    }

    /** Stops the monitor, then inference (which commits what it holds). */
    @Override
    public void close() {
        if (monitor != null) {
            try {
                monitor.close();
            } catch (RuntimeException e) {
                LOG.warn("monitor close: {}", e.toString());
            }
        }
        if (inferenceDeployment != null) {
            host.undeploy(inferenceDeployment);
        }
    }
}
