package io.xasstream.dashboard.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server on monitor.http.port: the router it is given (the monitor's query API, the dashboard, or both,
 * behind {@link Security}) on the interface of dashboard.host.
 */
public final class FrontVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(FrontVerticle.class);

    private final Function<Vertx, Router> router;
    private final String host;
    private final int port;
    private volatile HttpServer server;

    public FrontVerticle(Function<Vertx, Router> router, String host, int port) {
        this.router = router;
        this.host = host;
        this.port = port;
    }

    @Override
    public Future<?> start() {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false);
        return vertx.createHttpServer(options).requestHandler(router.apply(vertx)).listen().onSuccess(s -> {
            server = s;
            LOG.info("HTTP (dashboard / monitor query API) on http://{}:{}/", host, s.actualPort());
        });
    }

    /** The port actually bound (when configured as 0), -1 before start. */
    public int actualPort() {
        HttpServer s = server;
        return s == null ? -1 : s.actualPort();
    }
}
