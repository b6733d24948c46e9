package io.xasstream.dashboard.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.xasstream.common.json.RecordJson;
import io.xasstream.dashboard.DashboardService;
import io.xasstream.dashboard.feed.Filter;
import java.util.concurrent.Callable;

/**
 * The dashboard's routes:
 * <pre>
 * GET /                          the page (static files from the jar: dashboard/ and the uPlot WebJar)
 * GET /events?experiment=&amp;sample=   Server-Sent Events, one coalesced "batch" event per push interval
 * GET /api/replays               versioned results topics that can be overlaid (xas.results.&lt;version&gt;, shadow)
 * GET /api/replay?topic=&amp;experiment=&amp;sample=   one sample's results in such a topic (newest, bounded)
 * </pre>
 * Mount after any other API routes: the static handler answers the rest.
 */
public final class DashboardRoutes {
    private DashboardRoutes() {
    }

    public static void mount(Router router, DashboardService service) {
        router.get("/events").handler(ctx -> SseStream.open(ctx, service));
        router.head("/events").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/event-stream; charset=utf-8").end());
        router.get("/api/replays").handler(ctx -> blocking(ctx, () -> RecordJson.mapper()
                .writeValueAsString(service.replays().topics())));
        router.get("/api/replay").handler(ctx -> {
            Filter f = new Filter(ctx.request().getParam("experiment"), ctx.request().getParam("sample"));
            String topic = ctx.request().getParam("topic");
            if (!f.oneSample() || topic == null) {
                ctx.response().setStatusCode(400).end("topic, experiment and sample are needed\n");
                return;
            }
            blocking(ctx, () -> service.replays().read(topic, f.experiment(), f.sample()));
        });
        router.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        router.route("/*").handler(StaticHandler.create("dashboard").setIndexPage("index.html")
                .setDefaultContentEncoding("UTF-8"));
    }

    private static void blocking(RoutingContext ctx, Callable<String> read) {
        ctx.vertx().executeBlocking(read, false).onComplete(ar -> {
            var response = ctx.response().putHeader("Cache-Control", "no-store");
            if (ar.succeeded()) {
                response.putHeader("Content-Type", "application/json").end(ar.result());
            } else if (ar.cause() instanceof IllegalArgumentException) {
                response.setStatusCode(400).end(ar.cause().getMessage() + "\n");
            } else if (ar.cause() instanceof IllegalStateException) {
                response.setStatusCode(503).putHeader("Retry-After", "2").end(ar.cause().getMessage() + "\n");
            } else {
                response.setStatusCode(500).end(String.valueOf(ar.cause()) + "\n");
            }
        });
    }
}
