package io.xasstream.monitor;

import io.xasstream.common.config.XasConfig;

/**
 * What the monitor topology needs to know, resolved once from the {@link MonitorSettings} (tests build it directly).
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
        return new MonitorConfig(config.get(MonitorSettings.WINDOW_COUNT), config.get(MonitorSettings.WINDOW_MS),
                config.get(MonitorSettings.CUSUM_THRESHOLD), config.get(MonitorSettings.CUSUM_DRIFT),
                config.get(MonitorSettings.WARMUP), config.get(MonitorSettings.HISTORY),
                config.get(MonitorSettings.ALERTS_KEPT), config.get(MonitorSettings.PROBABILITY_FLOOR));
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
