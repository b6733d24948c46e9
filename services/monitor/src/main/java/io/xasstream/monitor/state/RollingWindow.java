package io.xasstream.monitor.state;

import io.xasstream.monitor.detect.Quantity;
import io.xasstream.schema.monitor.StoredStats;
import io.xasstream.schema.monitor.StoredWindow;
import java.util.ArrayList;
import java.util.List;

/**
 * A sliding window over a sample's points (by count or by acquisition time): the first sequence number still in
 * it and the statistics of each quantity. The points themselves live in the sample's history.
 */
public final class RollingWindow {
    private long startSeq;
    private long latestMicros = Long.MIN_VALUE;
    private final RollingStats[] stats = new RollingStats[Quantity.values().length];

    public RollingWindow() {
        for (int i = 0; i < stats.length; i++) {
            stats[i] = new RollingStats();
        }
    }

    public long startSeq() {
        return startSeq;
    }

    public void startSeq(long seq) {
        startSeq = seq;
    }

    /** Latest acquisition time seen (µs since the epoch): the time window ends there. */
    public long latestMicros() {
        return latestMicros;
    }

    public void latestMicros(long micros) {
        latestMicros = Math.max(latestMicros, micros);
    }

    public RollingStats stats(Quantity q) {
        return stats[q.ordinal()];
    }

    public void add(long seq, double[] values) {
        for (Quantity q : Quantity.values()) {
            stats[q.ordinal()].add(seq, values[q.ordinal()]);
        }
    }

    public void remove(long seq, double[] values) {
        for (Quantity q : Quantity.values()) {
            stats[q.ordinal()].remove(seq, values[q.ordinal()]);
        }
    }

    public boolean stale() {
        for (RollingStats s : stats) {
            if (s.stale()) {
                return true;
            }
        }
        return false;
    }

    StoredWindow toStored() {
        List<StoredStats> all = new ArrayList<>(stats.length);
        for (RollingStats s : stats) {
            all.add(s.toStored());
        }
        return new StoredWindow(startSeq, latestMicros, all);
    }

    void restore(StoredWindow w) {
        startSeq = w.getStartSeq();
        latestMicros = w.getLatestMicros();
        for (int i = 0; i < stats.length && i < w.getStats().size(); i++) {
            stats[i].restore(w.getStats().get(i));
        }
    }
}
