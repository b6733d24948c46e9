package io.xasstream.loadtests.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a run kept up: the spectra outstanding (sent, not yet answered), sampled while sending, and their
 * least-squares growth over the sending time. A rate is sustained when the lag did not build up over the run: it may
 * be large (a long latency), but its growth must stay within the noise of the sampling — a tenth of a second of input,
 * or two sends (the lag moves by whole trains) where that is more. One second of input per minute, the first rule,
 * passed a train rate whose answers ran 1.6 % behind the input (64 × 200 Hz on 2 cores: +12,082 spectra in 60 s,
 * p99 2.8 s and rising), which no beamtime could run on.
 */
public final class LagTrend {
    private final List<double[]> samples = new ArrayList<>();

    /** One sample: seconds since the start, spectra outstanding. */
    public synchronized void add(double seconds, long outstanding) {
        samples.add(new double[] {seconds, outstanding});
    }

    /** Least-squares slope of outstanding spectra over time, spectra per second (0 with fewer than 2 samples). */
    public synchronized double slope() {
        int n = samples.size();
        if (n < 2) {
            return 0;
        }
        double mt = 0;
        double mo = 0;
        for (double[] s : samples) {
            mt += s[0] / n;
            mo += s[1] / n;
        }
        double cov = 0;
        double var = 0;
        for (double[] s : samples) {
            cov += (s[0] - mt) * (s[1] - mo);
            var += (s[0] - mt) * (s[0] - mt);
        }
        return var == 0 ? 0 : cov / var;
    }

    public synchronized long max() {
        return (long) samples.stream().mapToDouble(s -> s[1]).max().orElse(0);
    }

    /** Growth of the lag over {@code seconds} of sending, in spectra. */
    public double growth(double seconds) {
        return slope() * seconds;
    }

    /**
     * The lag grew over the sending time by at most {@link #tolerance}: a tenth of a second of input, or two sends
     * of {@code spectraPerSend} spectra where that is more.
     */
    public boolean sustained(double seconds, double spectraPerSecond, int spectraPerSend) {
        return growth(seconds) <= tolerance(spectraPerSecond, spectraPerSend);
    }

    /** Spectra of lag growth still counted as noise: max(0.1 s of input, two sends). */
    public static double tolerance(double spectraPerSecond, int spectraPerSend) {
        return Math.max(0.1 * spectraPerSecond, 2.0 * spectraPerSend);
    }
}
