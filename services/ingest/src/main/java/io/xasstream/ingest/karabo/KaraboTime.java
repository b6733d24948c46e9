package io.xasstream.ingest.karabo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Train timestamps (epoch seconds with a fraction) → microsecond instants; now when the bridge gave none. */
final class KaraboTime {
    private KaraboTime() {
    }

    static Instant instant(double epochSeconds) {
        if (!Double.isFinite(epochSeconds) || epochSeconds <= 0) {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        return Instant.ofEpochSecond(0, Math.round(epochSeconds * 1e6) * 1000L);
    }
}
