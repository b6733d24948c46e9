package io.xasstream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.xasstream.core.ReasonCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * The meters of one ingest adapter ({@code source} = bluesky, karabo or tiled), on the management port's
 * {@code /metrics}: documents read by kind, runs by outcome, spectra out, dead letters by reason, and lag. Every
 * label set is bounded (document kinds are a fixed list, reasons an enum, outcomes a handful).
 */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final String source;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** A document (Bluesky), train (Karabo) or run (Tiled) read, by kind, e.g. start, event, unknown, undecodable. */
    public void document(String kind) {
        counter("xas.ingest.documents", "Source documents read, by kind", "kind", kind).increment();
    }

    /**
     * A run finished: emitted, rejected, expired (Bluesky: never stopped), open (Tiled: still running), skipped
     * (already published).
     */
    public void run(String outcome) {
        counter("xas.ingest.runs", "Runs (scans) handled, by outcome", "outcome", outcome).increment();
    }

    /** Spectra published ({@code n} rows for a SpectrumBatch). */
    public void spectra(int n) {
        counter("xas.ingest.spectra", "Spectra published to the spectra topic", null, null).increment(n);
    }

    /** A dead letter published, by reason. */
    public void deadLetter(ReasonCode reason) {
        counter("xas.ingest.dead_letters", "Dead letters published, by reason", "reason", reason.name()).increment();
    }

    /**
     * How far behind the source the adapter is: Bluesky records not yet read (consumer lag), Karabo seconds from
     * the train's timestamp to its publication, Tiled runs left to read.
     */
    public void lag(DoubleSupplier value) {
        Gauge.builder("xas.ingest.lag", value::getAsDouble).description("How far behind its source the adapter is")
                .tag("source", source).register(registry);
    }

    /** The current count of a counter (tests, progress lines); 0 if never incremented. */
    public double count(String name, String tagValue) {
        Counter c = counters.get(name + "|" + tagValue);
        return c == null ? 0 : c.count();
    }

    private Counter counter(String name, String description, String tag, String value) {
        String v = value == null ? "" : value;
        return counters.computeIfAbsent(name + "|" + v, k -> {
            Counter.Builder b = Counter.builder(name).description(description).tag("source", source);
            if (tag != null) {
                b.tag(tag, v);
            }
            return b.register(registry);
        });
    }
}
