package io.xasstream.app.platform;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.management.ManagementServer;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x with Micrometer metrics, the management server, and the service verticles deployed on it; closing it
 * undeploys everything in reverse order.
 */
public final class ServiceHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);
    /** Longest a verticle may take to start (loading and warming models) or to stop (inference commits first). */
    private static final long DEPLOY_SECONDS = 600;
    private static final long UNDEPLOY_SECONDS = 60;

    private final Vertx vertx;
    private final XasMetrics metrics;
    private final Readiness readiness = new Readiness();
    private final List<String> deployments = Collections.synchronizedList(new ArrayList<>());
    private final ManagementServer management;

    private ServiceHost(XasConfig config, String service, boolean managed) {
        this.metrics = new XasMetrics(service);
        this.vertx = Vertx.builder()
                .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
                .withMetrics(new MicrometerMetricsFactory(metrics.registry()))
                .build();
        this.management = managed ? new ManagementServer(config.get(XasConfig.MANAGEMENT_HOST),
                config.get(XasConfig.MANAGEMENT_PORT), metrics, readiness, null,
                () -> new JsonObject().put("service", service)) : null;
        if (managed) {
            deploy(management, new DeploymentOptions());
        }
    }

    /** Creates Vert.x with metrics and starts the management server. */
    public static ServiceHost start(XasConfig config, String service) {
        return new ServiceHost(config, service, true);
    }

    /**
     * Vert.x with metrics but no management server: for a command that runs beside the services on one machine
     * (a replay), which must not take their management port.
     */
    public static ServiceHost headless(XasConfig config, String service) {
        return new ServiceHost(config, service, false);
    }

    /** Deploys a verticle and waits until it has started (its start failure is thrown here). */
    public String deploy(Deployable verticle, DeploymentOptions options) {
        try {
            String id = vertx.deployVerticle(verticle, options).await(DEPLOY_SECONDS, TimeUnit.SECONDS);
            deployments.add(id);
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + verticle.getClass().getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Undeploys one verticle now (e.g. producers that must stop before the clients they use are closed). */
    public void undeploy(String id) {
        if (deployments.remove(id)) {
            try {
                vertx.undeploy(id).await(UNDEPLOY_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("undeploy of {} failed: {}", id, e.toString());
            }
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public XasMetrics metrics() {
        return metrics;
    }

    public Readiness readiness() {
        return readiness;
    }

    /** The management server, to add service routes such as /models. */
    public ManagementServer management() {
        if (management == null) {
            throw new IllegalStateException("this host has no management server");
        }
        return management;
    }

    /** Base URL of the management server. */
    public String managementUrl(XasConfig config) {
        String host = config.get(XasConfig.MANAGEMENT_HOST);
        return "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + management().actualPort();
    }

    @Override
    public void close() {
        List<String> ids = new ArrayList<>(deployments);
        Collections.reverse(ids);
        for (String id : ids) {
            try {
                vertx.undeploy(id).await(UNDEPLOY_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("undeploy of {} failed: {}", id, e.toString());
            }
        }
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x close failed: {}", e.toString());
        }
        metrics.close();
    }
}
