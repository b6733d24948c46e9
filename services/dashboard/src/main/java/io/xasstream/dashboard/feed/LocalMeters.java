package io.xasstream.dashboard.feed;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Meters of the inference service when it runs in the same process as the dashboard (the demo): end-to-end
 * latency (receipt to committed result, over every model) and dead letters by the service's own count. Absent (null registry) in a dashboard deployed alone.
 */
final class LocalMeters {
    private final MeterRegistry registry;

    LocalMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Adds {@code local} to the stats object when the meters are here and the inference service has used them. */
    void addTo(ObjectNode stats) {
        if (registry == null) {
            return;
        }
        long count = 0;
        double totalMs = 0;
        double maxMs = 0;
        for (Timer t : registry.find("xas.inference.end_to_end.latency").tag("from", "received").timers()) {
            count += t.count();
            totalMs += t.totalTime(TimeUnit.MILLISECONDS);
            maxMs = Math.max(maxMs, t.max(TimeUnit.MILLISECONDS));
        }
        double rejected = 0;
        for (Counter c : registry.find("xas.records.rejected").counters()) {
            rejected += c.count();
        }
        if (count == 0 && rejected == 0) {
            return;
        }
        ObjectNode local = stats.putObject("local");
        local.put("endToEndMeanMs", count == 0 ? 0 : Math.round(totalMs / count))
                .put("endToEndMaxMs", Math.round(maxMs)).put("deadLettersTotal", (long) rejected);
    }
}
