package io.xasstream.monitor.state;

import io.xasstream.monitor.detect.Quantity;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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

    void write(DataOutput out) throws IOException {
        out.writeLong(startSeq);
        out.writeLong(latestMicros);
        out.writeInt(stats.length);
        for (RollingStats s : stats) {
            s.write(out);
        }
    }

    void read(DataInput in) throws IOException {
        startSeq = in.readLong();
        latestMicros = in.readLong();
        int m = in.readInt();
        for (int i = 0; i < m; i++) {
            RollingStats s = i < stats.length ? stats[i] : new RollingStats();
            s.read(in);
        }
    }
}
