package io.xasstream.loadtests.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One open-model run: sends on the schedule whatever happens to the answers (a late sender sends at once, and the
 * latency of what it sends still counts from the time it was due), reads the answers on its own thread, and stops
 * after the plan's time or count, then waits at most the drain time for what is still outstanding.
 */
public final class LoadRun {
    /**
     * @param seconds      the sending time (a paced run sends what is due in it; replay stops sending after it)
     * @param maxSpectra   at most this many spectra
     * @param drainSeconds how long to wait for answers after the last send
     * @param rejectEvery  every n-th send is a spectrum no model serves (a dead letter expected); 0 for none
     */
    public record Plan(ArrivalSchedule schedule, double seconds, long maxSpectra, double drainSeconds,
                       long rejectEvery) {
        public Plan {
            if (!(seconds > 0) || maxSpectra < 1 || drainSeconds < 0 || rejectEvery < 0) {
                throw new IllegalArgumentException("a run needs seconds > 0, a count ≥ 1, drain ≥ 0, reject-every ≥ 0");
            }
        }

        public long sends() {
            return schedule.sends(seconds, maxSpectra);
        }

        /** Whether send {@code n} carries spectra that must be dead-lettered. */
        public boolean rejects(long n) {
            return rejectEvery > 0 && n % rejectEvery == rejectEvery - 1;
        }
    }

    /** Where the spectra go: one record per send (a Spectrum, or a SpectrumBatch of the ids). */
    public interface Sink extends AutoCloseable {
        void send(long n, int source, List<String> ids, Instant acquiredAt, boolean reject);

        /** Waits until everything sent is acknowledged. */
        void flush();

        @Override
        void close();
    }

    /** Where the answers come from: results and dead letters, told to the ledger. */
    public interface Source extends AutoCloseable {
        void poll(Ledger ledger, Duration timeout);

        @Override
        default void close() {
        }
    }

    private final Plan plan;
    private final Ledger ledger;
    private volatile boolean reading = true;
    private volatile boolean sending = true;
    private volatile long lagStart;

    public LoadRun(Plan plan, String runId) {
        this.plan = plan;
        this.ledger = new Ledger(runId, Math.max(1, plan.sends() * plan.schedule().spectraPerSend()));
    }

    public Ledger ledger() {
        return ledger;
    }

    public Plan plan() {
        return plan;
    }

    /** Sends, reads and drains; the source must already be positioned after anything older than this run. */
    public LoadReport run(Sink sink, Source source) throws InterruptedException {
        Thread reader = new Thread(() -> {
            while (reading) {
                source.poll(ledger, Duration.ofMillis(100));
            }
        }, "loadgen-reader");
        reader.setDaemon(true);
        reader.start();
        LagTrend lag = new LagTrend();
        Thread lagSampler = new Thread(() -> sampleLag(lag), "loadgen-lag");
        lagSampler.setDaemon(true);
        ArrivalSchedule schedule = plan.schedule();
        int perSend = schedule.spectraPerSend();
        long sends = plan.sends();
        long start = System.nanoTime();
        Instant wallStart = Instant.now();
        lagStart = start;
        lagSampler.start();
        long timeBound = start + (long) (plan.seconds() * 1e9);
        long maxLate = 0;
        long injected = 0;
        long n = 0;
        for (; n < sends; n++) {
            long due = start + schedule.dueNanos(n);
            long now = System.nanoTime();
            while (now < due) {
                LockSupport.parkNanos(due - now);
                now = System.nanoTime();
            }
            if (!schedule.paced()) {
                if (now > timeBound) {
                    break;
                }
                due = now;
            }
            maxLate = Math.max(maxLate, now - due);
            List<String> ids = new ArrayList<>(perSend);
            for (int r = 0; r < perSend; r++) {
                long seq = n * perSend + r;
                ledger.sent(seq, due);
                ids.add(ledger.id(seq));
            }
            boolean reject = plan.rejects(n);
            injected += reject ? perSend : 0;
            sink.send(n, schedule.source(n), ids, wallStart.plusNanos(due - start).truncatedTo(ChronoUnit.MICROS),
                    reject);
        }
        sink.flush();
        long sendEnd = System.nanoTime();
        sending = false;
        lagSampler.join(5_000);
        long drainEnd = sendEnd + (long) (plan.drainSeconds() * 1e9);
        while (ledger.outstanding() > 0 && System.nanoTime() < drainEnd) {
            Thread.sleep(10);
        }
        reading = false;
        reader.join(10_000);
        return new LoadReport(plan, wallStart, n, injected, (sendEnd - start) / 1e9, maxLate / 1e6, ledger.counts(),
                (ledger.lastResolvedNanos() - start) / 1e9, ledger.total(), lag);
    }

    /** Outstanding spectra four times a second while sending. */
    private void sampleLag(LagTrend lag) {
        while (sending) {
            lag.add((System.nanoTime() - lagStart) / 1e9, ledger.outstanding());
            LockSupport.parkNanos(250_000_000L);
        }
    }
}
