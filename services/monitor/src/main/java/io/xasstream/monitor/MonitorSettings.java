package io.xasstream.monitor;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.SettingsGroup;
import java.util.List;

/** The settings of the operando monitor, registered as a {@link SettingsGroup}. */
public final class MonitorSettings implements SettingsGroup {
    public static final Setting<String> APPLICATION_ID = Setting.string("monitor.application-id",
            "xasstream-monitor", "Kafka Streams application.id of the operando monitor (its consumer group and "
                    + "changelog prefix).");
    public static final Setting<String> STATE_DIR = Setting.string("monitor.state-dir", "",
            "Kafka Streams state directory; empty: a temporary directory.");
    public static final Setting<Integer> WINDOW_COUNT = Setting.integer("monitor.window.count", 20, 2, 100_000,
            "Rolling statistics over the last N results of a sample.");
    public static final Setting<Long> WINDOW_MS = Setting.longValue("monitor.window.duration-ms", 60_000L, 1L,
            "Rolling statistics over the results of the last T milliseconds (acquisition time).");
    public static final Setting<Double> CUSUM_THRESHOLD = Setting.decimal("monitor.cusum.threshold", 5.0, 0.0,
            "Change-point decision threshold h (in standard deviations) of the CUSUM detector.");
    public static final Setting<Double> CUSUM_DRIFT = Setting.decimal("monitor.cusum.drift", 0.5, 0.0,
            "CUSUM allowance k (in standard deviations): shifts smaller than about 2k are ignored.");
    public static final Setting<Integer> WARMUP = Setting.integer("monitor.warmup", 10, 2, 100_000,
            "Trusted results that establish a detector's baseline, at start and after each detected change.");
    public static final Setting<Double> PROBABILITY_FLOOR = Setting.decimal("monitor.probability-floor", 0.05, 0.0,
            "Smallest standard deviation assumed for a class probability in the change detectors (an ensemble whose "
                    + "members agree perfectly still has some error).");
    public static final Setting<Integer> HISTORY = Setting.integer("monitor.history", 10_000, 2, 10_000_000,
            "Points kept per sample for the time-series query; also bounds the time window (raised to the count "
                    + "window or the warm-up plus one when smaller).");
    public static final Setting<Integer> ALERTS_KEPT = Setting.integer("monitor.alerts-kept", 1_000, 1, 10_000_000,
            "Alerts kept per sample for the alerts query.");
    public static final Setting<Long> COMMIT_INTERVAL_MS = Setting.longValue("monitor.commit-interval-ms", 100L, 1L,
            "Kafka Streams commit interval: alerts and states reach read_committed consumers about this long after "
                    + "their result.");
    public static final Setting<Integer> HTTP_PORT = Setting.integer("monitor.http.port", 8082, 0, 65535,
            "Port of the HTTP server of the monitor's query API (sample state, time series, alerts) and the "
                    + "dashboard; 0 picks a free port.");

    @Override
    public int rank() {
        return 200;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(APPLICATION_ID, STATE_DIR, WINDOW_COUNT, WINDOW_MS, CUSUM_THRESHOLD, CUSUM_DRIFT, WARMUP,
                PROBABILITY_FLOOR, HISTORY, ALERTS_KEPT, COMMIT_INTERVAL_MS, HTTP_PORT);
    }
}
