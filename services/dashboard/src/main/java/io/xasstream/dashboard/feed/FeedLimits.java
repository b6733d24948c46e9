package io.xasstream.dashboard.feed;

import io.xasstream.common.config.XasConfig;
import io.xasstream.dashboard.DashboardSettings;

/**
 * The bounds of the fan-out, resolved once from the settings (tests build them directly).
 *
 * @param historyPoints results kept per sample (and read back per partition at start)
 * @param samples       samples followed at once
 * @param clientQueue   frames waiting per browser before it is dropped
 * @param ringBytes     size of the resume ring
 * @param spectra       whether the spectra topic is joined
 * @param tickMs        how often the fan-out closes a tick
 */
public record FeedLimits(int historyPoints, int samples, int clientQueue, long ringBytes, boolean spectra,
                         long tickMs) {
    /**
     * Least acquisition time between two results of one sample pushed live (4 ms: at most 250 per second of
     * measurement); results closer than that stay in the history but are thinned from the push, so an XFEL's
     * 27,000 spectra/s reach a browser as 250 points/s, while a backlog read fast is never thinned.
     */
    public static final long PUSH_SPACING_MS = 4;
    public static final long DEFAULT_TICK_MS = 250;

    public static FeedLimits from(XasConfig config) {
        long push = config.get(DashboardSettings.PUSH_INTERVAL_MS);
        return new FeedLimits(config.get(DashboardSettings.HISTORY_POINTS), config.get(DashboardSettings.SAMPLES),
                config.get(DashboardSettings.CLIENT_QUEUE), config.get(DashboardSettings.RESUME_BUFFER_BYTES),
                config.get(DashboardSettings.SPECTRA), Math.min(DEFAULT_TICK_MS, push));
    }
}
