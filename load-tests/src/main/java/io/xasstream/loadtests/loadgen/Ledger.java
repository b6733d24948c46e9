package io.xasstream.loadtests.loadgen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Every spectrum a run sent, matched to what came back: answered, dead-lettered, answered twice (duplicated) or
 * never (lost), with the latency of each first answer from the time its send was due. Spectrum ids are
 * {@code <run id>-<sequence>}, so the ledger is two arrays indexed by sequence, bounded by the run's count; an id of
 * another run (a leftover on the topic) is counted as unexpected, never matched. Thread-safe: the sender registers,
 * the reader resolves, a sampler may read counts and interval histograms meanwhile.
 */
public final class Ledger {
    private static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);
    private static final int ANSWERED = 1;
    private static final int DEAD_LETTERED = 2;

    private final String runId;
    private final AtomicLongArray due;
    private final AtomicIntegerArray resolutions;
    private final AtomicIntegerArray firstKind;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong duplicated = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicLong unmatchedDeadLetters = new AtomicLong();
    private final AtomicLong lastResolvedNanos = new AtomicLong();
    private final Recorder latency = new Recorder(MAX_LATENCY_MICROS, 3);
    private final Histogram total = new Histogram(MAX_LATENCY_MICROS, 3);

    /** What the ledger holds at one moment; {@code lost} is meaningful once the run has drained. */
    public record Counts(long sent, long answered, long deadLettered, long duplicated, long unexpected,
                         long unmatchedDeadLetters) {
        public long lost() {
            return sent - answered - deadLettered;
        }
    }

    public Ledger(String runId, long capacity) {
        if (capacity < 1 || capacity > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a run holds 1 to 2^31 spectra, not " + capacity);
        }
        this.runId = runId;
        this.due = new AtomicLongArray((int) capacity);
        this.resolutions = new AtomicIntegerArray((int) capacity);
        this.firstKind = new AtomicIntegerArray((int) capacity);
    }

    public String runId() {
        return runId;
    }

    /** The id of the spectrum with this sequence number. */
    public String id(long seq) {
        return runId + "-" + seq;
    }

    /** Registers spectrum {@code seq} (sequence numbers are given in order from 0) as due at {@code dueNanos}. */
    public void sent(long seq, long dueNanos) {
        if (seq != sent.get()) {
            throw new IllegalStateException("spectrum " + seq + " registered out of order (next " + sent.get() + ")");
        }
        due.set((int) seq, dueNanos);
        sent.incrementAndGet();
    }

    /** A result for this id was read at {@code atNanos}. */
    public void answered(String spectrumId, long atNanos) {
        resolve(spectrumId, ANSWERED, atNanos);
    }

    /** A dead letter for this id was read at {@code atNanos}. */
    public void deadLettered(String spectrumId, long atNanos) {
        resolve(spectrumId, DEAD_LETTERED, atNanos);
    }

    /** A dead letter that names no spectrum of this run and whose original record could not be read. */
    public void unmatchedDeadLetter() {
        unmatchedDeadLetters.incrementAndGet();
    }

    private void resolve(String spectrumId, int kind, long atNanos) {
        long seq = seq(spectrumId);
        if (seq < 0 || seq >= sent.get()) {
            unexpected.incrementAndGet();
            return;
        }
        int i = (int) seq;
        if (resolutions.incrementAndGet(i) > 1) {
            duplicated.incrementAndGet();
            return;
        }
        firstKind.set(i, kind);
        (kind == ANSWERED ? answered : deadLettered).incrementAndGet();
        latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, (atNanos - due.get(i)) / 1000)));
        lastResolvedNanos.accumulateAndGet(atNanos, Math::max);
    }

    /** The sequence number of one of this run's ids, or -1. */
    long seq(String spectrumId) {
        if (spectrumId == null || spectrumId.length() <= runId.length() + 1 || !spectrumId.startsWith(runId)
                || spectrumId.charAt(runId.length()) != '-') {
            return -1;
        }
        try {
            return Long.parseLong(spectrumId, runId.length() + 1, spectrumId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Spectra sent and not yet answered or dead-lettered: the lag of the whole path, in spectra. */
    public long outstanding() {
        return sent.get() - answered.get() - deadLettered.get();
    }

    public Counts counts() {
        return new Counts(sent.get(), answered.get(), deadLettered.get(), duplicated.get(), unexpected.get(),
                unmatchedDeadLetters.get());
    }

    /** When the last first answer was read (System.nanoTime), 0 before any. */
    public long lastResolvedNanos() {
        return lastResolvedNanos.get();
    }

    /** Latencies (µs) of the first answers since the previous call; they also go into {@link #total()}. */
    public synchronized Histogram interval() {
        Histogram h = latency.getIntervalHistogram();
        total.add(h);
        return h;
    }

    /** Latencies (µs) of every first answer so far. */
    public synchronized Histogram total() {
        interval();
        return total.copy();
    }
}
