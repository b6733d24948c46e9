package io.xasstream.dashboard.http;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.xasstream.dashboard.DashboardService;
import io.xasstream.dashboard.feed.Filter;
import io.xasstream.dashboard.feed.Frame;
import io.xasstream.dashboard.feed.Subscriber;
import java.util.List;

/**
 * One browser's {@code GET /events}: a {@link Subscriber} of the fan-out, drained on this connection's event loop
 * once per push interval into one coalesced event. While more than {@link #MAX_UNSENT} characters written to this
 * connection have not reached the socket (a slow browser or network), nothing is drained, so the frames wait in the
 * bounded queue until the fan-out drops the browser: memory per browser stays bounded and the service never waits
 * for one.
 */
final class SseStream {
    static final long HEARTBEAT_MS = 15_000;
    /** Written but not yet handed to the socket; Vert.x's own write queue alone was not seen to fill. */
    static final long MAX_UNSENT = 1 << 20;
    static final String RETRY = "retry: 2000\n\n";

    private final HttpServerResponse response;
    private final Vertx vertx;
    private final DashboardService service;
    private final Filter filter;
    private final Subscriber subscriber;
    private long timer = -1;
    private long lastWrite;
    private long unsent;
    private boolean closed;

    private SseStream(RoutingContext ctx, DashboardService service, Filter filter) {
        this.response = ctx.response();
        this.vertx = ctx.vertx();
        this.service = service;
        this.filter = filter;
        Context context = vertx.getOrCreateContext();
        this.subscriber = new Subscriber(filter, service.limits().clientQueue(),
                () -> context.runOnContext(v -> close()));
    }

    static void open(RoutingContext ctx, DashboardService service) {
        Filter filter = new Filter(ctx.request().getParam("experiment"), ctx.request().getParam("sample"));
        Long lastEventId = parseId(ctx.request().getHeader("Last-Event-ID"));
        new SseStream(ctx, service, filter).start(lastEventId);
    }

    private void start(Long lastEventId) {
        if (!service.subscribe(subscriber, lastEventId)) {
            response.setStatusCode(503).putHeader("Retry-After", "2").end("dashboard busy, retry\n");
            return;
        }
        response.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("X-Accel-Buffering", "no");
        response.closeHandler(v -> close());
        response.exceptionHandler(e -> close());
        write(RETRY);
        lastWrite = System.currentTimeMillis();
        timer = vertx.setPeriodic(service.pushIntervalMs(), id -> push());
    }

    private void push() {
        if (closed || unsent > MAX_UNSENT || response.writeQueueFull()) {
            return;
        }
        List<Frame> frames = subscriber.drain();
        String event = SseFormat.event(frames, filter);
        long now = System.currentTimeMillis();
        if (event != null) {
            write(event);
            lastWrite = now;
        } else if (now - lastWrite >= HEARTBEAT_MS) {
            write(": heartbeat\n\n");
            lastWrite = now;
        }
    }

    /** The completion runs on this connection's event loop, as push does: no shared counter. */
    private void write(String text) {
        int n = text.length();
        unsent += n;
        response.write(text).onComplete(ar -> unsent -= n);
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        service.unsubscribe(subscriber);
        if (!response.closed() && !response.ended()) {
            // a dropped browser: close the connection, its EventSource reconnects with Last-Event-ID
            response.reset();
        }
    }

    private static Long parseId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
