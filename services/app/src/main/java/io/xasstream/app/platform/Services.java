package io.xasstream.app.platform;

import io.vertx.core.DeploymentOptions;
import io.vertx.ext.web.Router;
import io.xasstream.common.config.DashboardSettings;
import io.xasstream.common.config.XasConfig;
import io.xasstream.dashboard.DashboardService;
import io.xasstream.dashboard.http.FrontVerticle;
import io.xasstream.dashboard.http.Security;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.monitor.MonitorService;
import io.xasstream.monitor.query.MonitorQueries;
import io.xasstream.monitor.query.MonitorRoutes;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xasstream services on one host (inference, monitor, dashboard), started in order and closed in reverse. The
 * monitor's query API and the dashboard share one HTTP server on monitor.http.port (interface dashboard.host),
 * guarded by the dashboard's {@link Security}; the dashboard alone needs only to read topics.
 */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    /** The services a process can run. */
    public enum Name { INFERENCE, MONITOR, DASHBOARD }

    private final InferenceService inference;
    private final MonitorService monitor;
    private final DashboardService dashboard;
    private FrontVerticle http;

    private Services(InferenceService inference, MonitorService monitor, DashboardService dashboard) {
        this.inference = inference;
        this.monitor = monitor;
        this.dashboard = dashboard;
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
        DashboardService dashboard = null;
        FrontVerticle http = null;
        try {
            if (which.contains(Name.MONITOR)) {
                monitor = new MonitorService(cfg, kafka.topics(), host.metrics(), host.readiness()).start();
            }
            if (which.contains(Name.DASHBOARD)) {
                dashboard = DashboardService.start(cfg, kafka.topics(), host.metrics().meters());
            }
            if (monitor != null || dashboard != null) {
                http = front(cfg, monitor == null ? null : monitor.queries(), dashboard);
                host.deploy(http, new DeploymentOptions());
            }
        } catch (RuntimeException e) {
            new Services(inference, monitor, dashboard).close();
            throw e;
        }
        Services services = new Services(inference, monitor, dashboard);
        services.http = http;
        return services;
    }

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
        }, cfg.get(DashboardSettings.HOST), cfg.get(XasConfig.MONITOR_HTTP_PORT));
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
        String host = cfg.get(DashboardSettings.HOST);
        return "http://" + ("0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host) + ":" + httpPort();
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

    public InferenceService inference() {
        return inference;
    }

    @Override
    public void close() {
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
        if (inference != null) {
            try {
                inference.close();
            } catch (RuntimeException e) {
                LOG.warn("inference close: {}", e.toString());
            }
        }
    }
}
