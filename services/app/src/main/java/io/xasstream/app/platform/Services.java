package io.xasstream.app.platform;

import io.vertx.core.DeploymentOptions;
import io.vertx.ext.web.Router;
import io.xasstream.common.config.XasConfig;
import io.xasstream.dashboard.DashboardService;
import io.xasstream.dashboard.DashboardSettings;
import io.xasstream.dashboard.http.FrontVerticle;
import io.xasstream.dashboard.http.Security;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.inference.service.InferenceVerticle;
import io.xasstream.monitor.MonitorService;
import io.xasstream.monitor.MonitorSettings;
import io.xasstream.monitor.query.MonitorQueries;
import io.xasstream.monitor.query.MonitorRoutes;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xasstream services on one host (inference, monitor, dashboard), deployed as verticles of the
 * {@link ServiceHost} in order and stopped in reverse. {@code run --services} and the demo both start them here.
 * The monitor's query API and the dashboard share one HTTP server on monitor.http.port (interface dashboard.host),
 * guarded by the dashboard's {@link Security}; the dashboard alone needs only to read topics.
 */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    /** The services a process can run. */
    public enum Name { INFERENCE, MONITOR, DASHBOARD }

    private final ServiceHost host;
    private InferenceVerticle inference;
    private String inferenceDeployment;
    private MonitorService monitor;
    private DashboardService dashboard;
    private FrontVerticle http;
    private String httpDeployment;

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
            }
            if (which.contains(Name.DASHBOARD)) {
                services.dashboard = DashboardService.start(cfg, kafka.topics(), cfg.get(InferenceSettings.GROUP_ID),
                        host.metrics().meters());
            }
            if (services.monitor != null || services.dashboard != null) {
                services.http = front(cfg, services.monitor == null ? null : services.monitor.queries(),
                        services.dashboard);
                services.httpDeployment = host.deploy(services.http, new DeploymentOptions());
            }
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
        return services;
    }

    /** One HTTP server for what runs here: the monitor's query API and/or the dashboard, behind its login. */
    private static FrontVerticle front(XasConfig cfg, MonitorQueries queries, DashboardService dashboard) {
        return new FrontVerticle(vertx -> {
            Router router = Router.router(vertx);
            Security.install(router, cfg.get(DashboardSettings.TOKEN), Clock.systemUTC());
            if (queries != null) {
                MonitorRoutes.mount(router, queries);
            }
            if (dashboard != null) {
                dashboard.mount(router);
            }
            return router;
        }, cfg.get(DashboardSettings.HOST), cfg.get(MonitorSettings.HTTP_PORT));
    }

    public MonitorService monitor() {
        return monitor;
    }

    /** Port of the HTTP server (monitor query API and/or dashboard), -1 when neither runs here. */
    public int httpPort() {
        return http == null ? -1 : http.actualPort();
    }

    /** Base URL of the HTTP server (no trailing slash), as a browser on this machine reaches it. */
    public String httpUrl(XasConfig cfg) {
        String bound = cfg.get(DashboardSettings.HOST);
        return "http://" + ("0.0.0.0".equals(bound) || "::".equals(bound) ? "127.0.0.1" : bound) + ":" + httpPort();
    }

    /** The dashboard's URL ({@code /login} first when a token is set), or null when it does not run here. */
    public String dashboardUrl(XasConfig cfg) {
        if (dashboard == null) {
            return null;
        }
        return httpUrl(cfg) + (cfg.get(DashboardSettings.TOKEN).isEmpty() ? "/" : "/login");
    }

    public DashboardService dashboard() {
        return dashboard;
    }

    /** The inference service, null when it does not run here. */
    public InferenceService inference() {
        return inference == null ? null : inference.service();
    }

    /** Stops the HTTP server, the dashboard, the monitor, then inference (which commits what it holds). */
    @Override
    public void close() {
        if (httpDeployment != null) {
            host.undeploy(httpDeployment); // no request reaches a closed dashboard or monitor
        }
        if (dashboard != null) {
            try {
                dashboard.close();
            } catch (RuntimeException e) {
                LOG.warn("dashboard close: {}", e.toString());
            }
        }
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
