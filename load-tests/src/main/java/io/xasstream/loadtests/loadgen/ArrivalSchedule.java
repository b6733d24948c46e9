package io.xasstream.loadtests.loadgen;

/**
 * When each send of an open-model run is due, relative to the run's start: a pure function of the send index, so the
 * sender never waits for an answer before the next send (no coordinated omission) and latency is measured from the
 * time a send was due, not from when it went out.
 *
 * @param scenario      what is sent
 * @param sources       beamlines (quick-EXAFS) or 1; sends go to them in turn, each with its own key
 * @param sendsPerSecond total sends per second over all sources (infinite for replay: as fast as possible)
 * @param spectraPerSend 1 (a Spectrum record) or the pulses of a train (a SpectrumBatch)
 */
public record ArrivalSchedule(Scenario scenario, int sources, double sendsPerSecond, int spectraPerSend) {
    public ArrivalSchedule {
        if (sources < 1 || spectraPerSend < 1 || !(sendsPerSecond > 0)) {
            throw new IllegalArgumentException("sources, spectra per send and rate must be positive");
        }
    }

    /** {@code beamlines} quick-EXAFS beamlines of {@code rate} single-record spectra per second each. */
    public static ArrivalSchedule quickExafs(int beamlines, double rate) {
        return new ArrivalSchedule(Scenario.QUICK_EXAFS, beamlines, beamlines * rate, 1);
    }

    /** One XFEL: trains of {@code pulses} spectra (one SpectrumBatch each) at {@code hz} trains per second. */
    public static ArrivalSchedule xfel(int pulses, double hz) {
        return new ArrivalSchedule(Scenario.XFEL, 1, hz, pulses);
    }

    /** An archive replayed as fast as the producer takes it, one Spectrum record per spectrum. */
    public static ArrivalSchedule replay() {
        return new ArrivalSchedule(Scenario.REPLAY, 1, Double.POSITIVE_INFINITY, 1);
    }

    public boolean paced() {
        return Double.isFinite(sendsPerSecond);
    }

    /** Nanoseconds after the start at which send {@code n} is due (0 for every send of an unpaced run). */
    public long dueNanos(long n) {
        return paced() ? (long) (n * 1e9 / sendsPerSecond) : 0L;
    }

    /** The source (beamline) of send {@code n}: sources take turns, so each sends at rate / sources. */
    public int source(long n) {
        return (int) (n % sources);
    }

    /** Spectra per second the schedule asks for (infinite for replay). */
    public double spectraPerSecond() {
        return sendsPerSecond * spectraPerSend;
    }

    /**
     * Sends in a run bounded by time and by count: those due before {@code seconds} and no more than it takes to
     * reach {@code maxSpectra} (a paced run is bounded by both, replay by the count; its time bound is the sender's).
     */
    public long sends(double seconds, long maxSpectra) {
        long byCount = (maxSpectra + spectraPerSend - 1) / spectraPerSend;
        if (!paced()) {
            return byCount;
        }
        return Math.min(byCount, (long) Math.ceil(seconds * sendsPerSecond));
    }
}
