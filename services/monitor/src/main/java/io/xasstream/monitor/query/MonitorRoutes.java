package io.xasstream.monitor.query;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xasstream.common.json.RecordJson;
import io.xasstream.common.topics.RecordKeys;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The monitor's query API, JSON with the schema's field names (RecordJson). Store reads run on worker threads.
 *
 * <pre>
 * GET /samples                                          current OperandoState of every sample (this instance)
 * GET /samples/{experiment}/{sample}/state              one sample's OperandoState
 * GET /samples/{experiment}/{sample}/timeseries?limit=N its latest N points (SampleSnapshot, oldest first)
 * GET /samples/{experiment}/{sample}/alerts?limit=N     its latest N alerts (oldest first)
 * </pre>
 * 404 for an unknown sample, 503 while the stores are not queryable (starting, rebalancing, restoring).
 */
public final class MonitorRoutes {
    public static final int DEFAULT_LIMIT = 1_000;
    public static final int MAX_LIMIT = 100_000;

    private MonitorRoutes() {
    }

    /** Adds the query routes to a router that may serve other routes too (the dashboard's, on one server). */
    public static void mount(Router router, MonitorQueries queries) {
        router.get("/samples").handler(ctx -> respond(ctx, () -> array(queries.samples())));
        router.get("/samples/:experiment/:sample/state").handler(ctx -> respond(ctx,
                () -> queries.state(key(ctx)).map(s -> RecordJson.toJsonLine(s)).orElse(null)));
        router.get("/samples/:experiment/:sample/timeseries").handler(ctx -> respond(ctx,
                () -> queries.state(key(ctx)).isEmpty() ? null : array(queries.timeSeries(key(ctx), limit(ctx)))));
        router.get("/samples/:experiment/:sample/alerts").handler(ctx -> respond(ctx,
                () -> queries.state(key(ctx)).isEmpty() ? null : array(queries.alerts(key(ctx), limit(ctx)))));
    }

    private static String key(RoutingContext ctx) {
        return RecordKeys.of(ctx.pathParam("experiment"), ctx.pathParam("sample"));
    }

    private static int limit(RoutingContext ctx) {
        String v = ctx.request().getParam("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Math.max(0, Math.min(MAX_LIMIT, Integer.parseInt(v)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be an integer, got '" + v + "'");
        }
    }

    private static String array(List<? extends GenericRecord> records) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < records.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(RecordJson.toJsonLine(records.get(i)));
        }
        return sb.append(']').toString();
    }

    /** Runs the blocking read on a worker; null body means not found. */
    private static void respond(RoutingContext ctx, Callable<String> read) {
        ctx.vertx().executeBlocking(read, false).onComplete(ar -> {
            var response = ctx.response().putHeader("Content-Type", "application/json");
            if (ar.succeeded()) {
                if (ar.result() == null) {
                    response.setStatusCode(404).end(error("no such sample: " + key(ctx)));
                } else {
                    response.end(ar.result());
                }
            } else if (ar.cause() instanceof InvalidStateStoreException) {
                response.setStatusCode(503).end(error("state not queryable yet: " + ar.cause().getMessage()));
            } else if (ar.cause() instanceof IllegalArgumentException) {
                response.setStatusCode(400).end(error(ar.cause().getMessage()));
            } else {
                response.setStatusCode(500).end(error(String.valueOf(ar.cause())));
            }
        });
    }

    private static String error(String message) {
        return RecordJson.mapper().createObjectNode().put("error", message).toString();
    }
}
