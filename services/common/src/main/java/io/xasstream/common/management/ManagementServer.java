package io.xasstream.common.management;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.xasstream.common.metrics.XasMetrics;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The management port: {@code /health} (alive), {@code /ready} (all readiness checks pass), {@code /metrics}. */
public final class ManagementServer extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

    private final String host;
    private final int port;
    private final XasMetrics metrics;
    private final Readiness readiness;
    private final Router extra;
    private final Supplier<JsonObject> info;
    private HttpServer server;
    private Router router;

    /**
     * @param extra optional routes of the service mounted at "/" (e.g. /models); may be null
     * @param info  optional description returned by /health; may be null
     */
    public ManagementServer(String host, int port, XasMetrics metrics, Readiness readiness, Router extra,
                            Supplier<JsonObject> info) {
        this.host = host;
        this.port = port;
        this.metrics = metrics;
        this.readiness = readiness;
        this.extra = extra;
        this.info = info;
    }

    @Override
    public Future<?> start() {
        router = Router.router(vertx);
        router.get("/metrics").handler(PrometheusScrapingHandler.create(metrics.registry()));
        router.get("/health").handler(ctx -> {
            JsonObject body = new JsonObject().put("status", "UP");
            if (info != null) {
                body.put("info", info.get());
            }
            ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
        });
        router.get("/ready").handler(ctx -> {
            var status = readiness.status();
            boolean ready = status.values().stream().allMatch(Boolean::booleanValue);
            JsonObject checks = new JsonObject();
            status.forEach(checks::put);
            ctx.response().setStatusCode(ready ? 200 : 503).putHeader("Content-Type", "application/json")
                    .end(new JsonObject().put("ready", ready).put("checks", checks).encode());
        });
        if (extra != null) {
            router.route("/*").subRouter(extra);
        }
        // h2c upgrade breaks chunked /metrics for HTTP/2 clients: plain HTTP/1.1 on the management port.
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> {
            server = s;
            LOG.info("management server on http://{}:{} (/health, /ready, /metrics)", host, s.actualPort());
        });
    }

    /** Adds a GET route (e.g. /models) once started; the handler runs on the event loop, so it must not block. */
    public void get(String path, Handler<RoutingContext> handler) {
        if (router == null) {
            throw new IllegalStateException("management server not started");
        }
        router.get(path).handler(handler);
    }

    /** The port actually bound (useful when configured as 0). */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }
}
