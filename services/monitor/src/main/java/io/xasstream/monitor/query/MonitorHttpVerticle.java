package io.xasstream.monitor.query;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@link MonitorRoutes} on its own port (monitor.http.port). */
public final class MonitorHttpVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorHttpVerticle.class);

    private final MonitorQueries queries;
    private final String host;
    private final int port;
    private volatile HttpServer server;

    public MonitorHttpVerticle(MonitorQueries queries, String host, int port) {
        this.queries = queries;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(options).requestHandler(MonitorRoutes.router(vertx, queries)).listen()
                .onSuccess(s -> {
                    server = s;
                    LOG.info("monitor query API on http://{}:{}/samples", host, s.actualPort());
                });
    }

    /** The port actually bound (when configured as 0), -1 before start. */
    public int actualPort() {
        return server == null ? -1 : server.actualPort();
    }
}
