package io.xasstream.ingest.bluesky;

import io.xasstream.common.config.XasConfig;
import io.xasstream.ingest.IngestSettings;

/**
 * How long and how many Bluesky runs may stay open: a RunEngine that dies between start and stop never sends the
 * stop, and without a bound its run would stay in the store (and its changelog) forever.
 *
 * @param maxAgeMs oldest open run, in stream time (document timestamps), before it is expired
 * @param maxOpen  most open runs per stream task; a start beyond it expires the oldest
 */
public record RunLimits(long maxAgeMs, int maxOpen) {
    public RunLimits {
        if (maxAgeMs < 1 || maxOpen < 1) {
            throw new IllegalArgumentException("run limits must be positive: " + maxAgeMs + " ms, " + maxOpen);
        }
    }

    public static RunLimits from(XasConfig config) {
        return new RunLimits(config.get(IngestSettings.BLUESKY_RUN_MAX_AGE_MS),
                config.get(IngestSettings.BLUESKY_MAX_OPEN_RUNS));
    }

    /** How often (stream time) the age check runs: a minute, or the age limit itself when that is shorter. */
    long checkIntervalMs() {
        return Math.min(maxAgeMs, 60_000L);
    }
}
