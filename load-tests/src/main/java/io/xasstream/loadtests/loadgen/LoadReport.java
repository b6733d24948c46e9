package io.xasstream.loadtests.loadgen;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What one run measured.
 *
 * @param sends        records sent
 * @param injected     spectra sent to be dead-lettered (no model serves them)
 * @param sendSeconds  from the first due time to the last send acknowledged
 * @param maxLateMs    how far the sender fell behind its schedule (large: the generator itself could not keep up)
 * @param spanSeconds  from the first due time to the last first answer read
 * @param latency      µs from the due time to the first answer read, of every spectrum answered
 * @param lag          spectra outstanding while sending
 */
public record LoadReport(LoadRun.Plan plan, Instant started, long sends, long injected, double sendSeconds,
                         double maxLateMs, Ledger.Counts counts, double spanSeconds, Histogram latency, LagTrend lag) {

    /**
     * The schedule was kept: the lag did not build up over the run ({@link LagTrend#sustained}), and the sender
     * never fell a whole second behind (always true of replay, which has no schedule to keep).
     */
    public boolean sustained() {
        ArrivalSchedule s = plan.schedule();
        return !s.paced() || lag.sustained(sendSeconds, s.spectraPerSecond(), s.spectraPerSend()) && maxLateMs < 1000;
    }

    /** Spectra answered or dead-lettered per second, from the first due time to the last answer. */
    public double throughput() {
        return spanSeconds > 0 ? (counts.answered() + counts.deadLettered()) / spanSeconds : 0;
    }

    public double p(double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1e3;
    }

    /** Nothing lost, nothing answered twice, and exactly the injected spectra dead-lettered. */
    public boolean clean() {
        return counts.lost() == 0 && counts.duplicated() == 0 && counts.deadLettered() == injected;
    }

    public String scenario() {
        ArrivalSchedule s = plan.schedule();
        return switch (s.scenario()) {
            case QUICK_EXAFS -> String.format(Locale.ROOT, "quick-EXAFS %d beamline(s) × %.0f spectra/s", s.sources(),
                    s.sendsPerSecond() / s.sources());
            case XFEL -> String.format(Locale.ROOT, "XFEL trains of %d pulses at %.1f Hz (%.0f spectra/s)",
                    s.spectraPerSend(), s.sendsPerSecond(), s.spectraPerSecond());
            case REPLAY -> "replay as fast as possible";
        };
    }

    public void print(PrintStream out, String target) {
        Ledger.Counts c = counts;
        out.printf(Locale.ROOT, "%s → %s, started %s: %d spectra in %d records over %.1f s (sender at most %.1f ms "
                + "behind schedule)%n", scenario(), target, started, c.sent(), sends, sendSeconds, maxLateMs);
        out.printf(Locale.ROOT, "  answered %d, dead-lettered %d (injected %d), lost %d (no answer within the drain of "
                + "%.0f s), duplicated %d, unexpected %d"
                + "%s; %,.0f spectra/s answered%n", c.answered(), c.deadLettered(), injected, c.lost(),
                plan.drainSeconds(), c.duplicated(), c.unexpected(), c.unmatchedDeadLetters() > 0
                ? ", unmatched dead letters " + c.unmatchedDeadLetters() : "", throughput());
        if (plan.schedule().paced()) {
            out.printf(Locale.ROOT, "  lag while sending: at most %d spectra, growth %+.0f spectra over the run "
                    + "(sustained: %s — growth at most %.0f spectra, and the sender never 1 s behind)%n", lag.max(),
                    lag.growth(sendSeconds), sustained() ? "yes" : "NO", LagTrend.tolerance(
                    plan.schedule().spectraPerSecond(), plan.schedule().spectraPerSend()));
        }
        out.printf(Locale.ROOT, "  latency from the due time: p50 %.2f ms, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f ms "
                + "(%d answers)%n", p(50), p(90), p(99), p(99.9), latency.getTotalCount() == 0 ? Double.NaN
                : latency.getMaxValue() / 1e3, latency.getTotalCount());
    }
}
