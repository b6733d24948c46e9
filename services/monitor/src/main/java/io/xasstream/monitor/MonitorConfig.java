package io.xasstream.monitor;

import io.xasstream.common.config.XasConfig;

/**
 * What the monitor topology needs to know, resolved once from the configuration (tests build it directly).
 *
 * @param windowCount    rolling statistics over the last N results of a sample
 * @param windowMs       rolling statistics over the results of the last T ms of acquisition time
 * @param threshold      CUSUM decision threshold h, in standard deviations
 * @param drift          CUSUM allowance k, in standard deviations
 * @param warmup         trusted results that establish a baseline (at start and after each detected change)
 * @param historySize    points kept per sample for the time-series query (also bounds the time window)
 * @param alertsKept     alerts kept per sample for the alerts query
 * @param probabilityFloor smallest standard deviation assumed for a class probability (models whose ensembles
 *                       agree perfectly still have some error)
 */
public record MonitorConfig(int windowCount, long windowMs, double threshold, double drift, int warmup,
                            int historySize, int alertsKept, double probabilityFloor) {
    public static final int DEFAULT_WARMUP = 10;
    public static final int DEFAULT_HISTORY = 10_000;
    public static final int DEFAULT_ALERTS_KEPT = 1_000;
    public static final double DEFAULT_PROBABILITY_FLOOR = 0.05;

    public MonitorConfig {
        if (windowCount < 1 || windowMs < 1 || warmup < 2 || alertsKept < 1) {
            throw new IllegalArgumentException("window count, window ms, alerts kept must be >= 1, warmup >= 2");
        }
        if (!(threshold > 0) || !(drift >= 0) || !(probabilityFloor > 0)) {
            throw new IllegalArgumentException("CUSUM threshold and probability floor must be > 0, drift >= 0");
        }
        // the count window and the warm-up are served from the per-sample history
        historySize = Math.max(historySize, Math.max(windowCount, warmup) + 1);
    }

    public static MonitorConfig from(XasConfig config) {
        return new MonitorConfig(config.get(XasConfig.MONITOR_WINDOW_COUNT), config.get(XasConfig.MONITOR_WINDOW_MS),
                config.get(XasConfig.MONITOR_CUSUM_THRESHOLD), config.get(XasConfig.MONITOR_CUSUM_DRIFT),
                DEFAULT_WARMUP, DEFAULT_HISTORY, DEFAULT_ALERTS_KEPT, DEFAULT_PROBABILITY_FLOOR);
    }

    /** Defaults of every setting (as {@code XasConfig.defaults()}). */
    public static MonitorConfig defaults() {
        return from(XasConfig.defaults());
    }

    public MonitorConfig withWindow(int count, long ms) {
        return new MonitorConfig(count, ms, threshold, drift, warmup, historySize, alertsKept, probabilityFloor);
    }

    public MonitorConfig withHistory(int points) {
        return new MonitorConfig(windowCount, windowMs, threshold, drift, warmup, points, alertsKept,
                probabilityFloor);
    }
}
