package io.xasstream.dashboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.dashboard.feed.FanOut;
import io.xasstream.dashboard.feed.FeedLimits;
import io.xasstream.dashboard.feed.FeedStats;
import io.xasstream.dashboard.feed.Feeds;
import io.xasstream.dashboard.feed.LagProbe;
import io.xasstream.dashboard.feed.Subscriber;
import io.xasstream.dashboard.http.DashboardRoutes;
import io.xasstream.dashboard.replay.ReplayReader;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live dashboard: one fan-out thread reading the results, operando-state, alerts, dead-letter and spectra
 * topics (no consumer group, no Streams state: a read-only principal is enough), the inference group's lag, and
 * the routes that serve the page and its event stream. Mount {@link #mount(Router)} on an HTTP server guarded by
 * {@link io.xasstream.dashboard.http.Security}.
 *
 * <pre>
 * DashboardService dashboard = DashboardService.start(config, topics, inferenceGroup, meters);
 * dashboard.mount(router);
 * ...
 * dashboard.close();
 * </pre>
 */
public final class DashboardService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardService.class);

    private final FanOut fanOut;
    private final Thread thread;
    private final LagProbe lag;
    private final FeedLimits limits;
    private final int pushIntervalMs;
    private final ReplayReader replays;

    private DashboardService(FanOut fanOut, LagProbe lag, FeedLimits limits, int pushIntervalMs,
                             ReplayReader replays) {
        this.fanOut = fanOut;
        this.lag = lag;
        this.limits = limits;
        this.pushIntervalMs = pushIntervalMs;
        this.replays = replays;
        this.thread = new Thread(fanOut, "xas-dashboard-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Starts the fan-out and the lag probe against the configured cluster.
     *
     * @param inferenceGroup the live inference service's consumer group, whose lag the page shows (the caller
     *                       reads it from the inference settings: the dashboard needs no inference code)
     * @param meters         where the service's own meters are read from (may be null)
     */
    public static DashboardService start(XasConfig config, Topics topics, String inferenceGroup,
                                         MeterRegistry meters) {
        KafkaClients clients = new KafkaClients(config);
        FeedLimits limits = FeedLimits.from(config);
        LagProbe lag = new LagProbe(clients::admin, inferenceGroup).start();
        FanOut fanOut = Feeds.fanOut(clients, topics, limits, lag, meters, Clock.systemUTC());
        DashboardService service = new DashboardService(fanOut, lag, limits,
                config.get(DashboardSettings.PUSH_INTERVAL_MS), new ReplayReader(clients, topics,
                limits.historyPoints()));
        service.thread.start();
        LOG.info("dashboard reading {}, {}, {}, {}{}", topics.results.name(), topics.operandoState.name(),
                topics.alerts.name(), topics.rejected.name(), limits.spectra() ? ", " + topics.spectra.name() : "");
        return service;
    }

    /** Adds the page, the event stream and the replay API to a router. */
    public void mount(Router router) {
        DashboardRoutes.mount(router, this);
    }

    /** Adds a browser (see {@link FanOut#subscribe}). */
    public boolean subscribe(Subscriber s, Long lastEventId) {
        return fanOut.subscribe(s, lastEventId);
    }

    public void unsubscribe(Subscriber s) {
        fanOut.unsubscribe(s);
    }

    public FeedStats stats() {
        return fanOut.stats();
    }

    public FeedLimits limits() {
        return limits;
    }

    public int pushIntervalMs() {
        return pushIntervalMs;
    }

    public ReplayReader replays() {
        return replays;
    }

    @Override
    public void close() {
        fanOut.stop();
        try {
            thread.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lag.close();
    }
}
