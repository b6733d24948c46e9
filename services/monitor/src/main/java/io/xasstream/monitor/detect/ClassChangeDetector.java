package io.xasstream.monitor.detect;

import io.xasstream.schema.monitor.StoredClassDetector;
import io.xasstream.schema.monitor.StoredLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Change of the dominant class of a classified quantity (oxidation state, coordination number).
 *
 * <p>The baseline is a class c0: the class with the largest mean probability over the warm-up, later the class a
 * detected change moved to. For every other class c each trusted result gives the standardised evidence
 * {@code z = (p(c) - p(c0)) / sqrt(sd(c)² + sd(c0)² + floor²)}, where sd are the ensemble's probability standard
 * deviations: uncertain results weigh less. A one-sided CUSUM per class, {@code S = max(0, S + z - k)}, decides
 * when {@code S > h}. The change is confirmed only when the expected value moved as well — the run's weighted
 * mean differs from the baseline's by at least 2k pooled per-point standard deviations — so a sample sitting on a
 * class boundary does not alert back and forth. A confirmed change makes c the baseline (one transition, one
 * alert); the change point reported is the first result of the CUSUM run.
 *
 * <p>Gradual transitions (a reduction over tens of spectra) give one alert, near the point where the new class
 * overtakes the old one, which is where the dominant phase changes.
 */
public final class ClassChangeDetector {
    private final Quantity quantity;
    private final double h;
    private final double k;
    private final double floor;
    private final int warmup;

    private List<String> classes = List.of();
    private int baseline = -1;
    private int warmCount;
    private double[] warmSum = new double[0];
    private final Level base = new Level();
    private double[] cusum = new double[0];
    private long[] runStart = new long[0];
    private Level[] run = new Level[0];

    public ClassChangeDetector(Quantity quantity, double h, double k, double floor, int warmup) {
        this.quantity = quantity;
        this.h = h;
        this.k = k;
        this.floor = floor;
        this.warmup = warmup;
    }

    public String method() {
        return String.format(Locale.ROOT, "class-cusum(h=%s,k=%s,floor=%s,warmup=%d)", h, k, floor, warmup);
    }

    /** The current baseline class, or null during the warm-up. */
    public String baselineClass() {
        return baseline < 0 ? null : classes.get(baseline);
    }

    /**
     * One trusted result.
     *
     * @param expected    expected value over the classes, with {@code expectedStd} its spread
     * @return the confirmed change, or null
     */
    public Change update(long seq, List<String> labels, List<Float> probabilities, List<Float> probabilityStd,
                         double expected, double expectedStd) {
        int m = labels.size();
        if (m < 2 || probabilities.size() != m || !Double.isFinite(expected)) {
            return null;
        }
        if (!labels.equals(classes)) {
            reset(labels); // another model (other classes): start over
        }
        double sigmaE = Double.isFinite(expectedStd) ? expectedStd : 0;
        if (baseline < 0) {
            warmUp(probabilities, expected, sigmaE);
            return null;
        }
        int best = -1;
        for (int c = 0; c < m; c++) {
            if (c == baseline) {
                continue;
            }
            double sc = sd(probabilityStd, c);
            double s0 = sd(probabilityStd, baseline);
            double z = (probabilities.get(c) - probabilities.get(baseline))
                    / Math.sqrt(sc * sc + s0 * s0 + floor * floor);
            double next = Math.max(0, cusum[c] + z - k);
            if (next > 0) {
                if (cusum[c] == 0) {
                    runStart[c] = seq;
                    run[c].clear();
                }
                run[c].add(expected, sigmaE);
            } else {
                run[c].clear();
            }
            cusum[c] = next;
            if (next > h && (best < 0 || next > cusum[best])) {
                best = c;
            }
        }
        boolean inControl = true;
        for (int c = 0; c < m; c++) {
            inControl &= cusum[c] == 0;
        }
        if (inControl) {
            base.add(expected, sigmaE);
        }
        if (best < 0) {
            return null;
        }
        Level after = run[best];
        double pooled = Math.sqrt((sq(base.rmsSigma()) + sq(after.rmsSigma())) / 2);
        double delta = after.mean() - base.mean();
        if (Math.abs(delta) < 2 * k * pooled) {
            // the class flipped but the expected value did not move: noise on a class boundary
            cusum[best] = 0;
            run[best].clear();
            return null;
        }
        Change change = new Change(quantity, base.mean(), base.standardError(), after.mean(),
                after.standardError(), classes.get(baseline), classes.get(best), runStart[best], seq,
                Change.confidence(base.mean(), base.standardError(), after.mean(), after.standardError()),
                method());
        baseline = best;
        base.copyFrom(after);
        for (int c = 0; c < m; c++) {
            cusum[c] = 0;
            run[c].clear();
        }
        return change;
    }

    /** A result of the warm-up: the baseline is the class with the largest mean probability once it is over. */
    private void warmUp(List<Float> probabilities, double expected, double sigmaE) {
        for (int c = 0; c < probabilities.size(); c++) {
            warmSum[c] += probabilities.get(c);
        }
        base.add(expected, sigmaE);
        if (++warmCount >= warmup) {
            baseline = argmax(warmSum);
        }
    }

    private void reset(List<String> labels) {
        int m = labels.size();
        classes = List.copyOf(labels);
        baseline = -1;
        warmCount = 0;
        warmSum = new double[m];
        base.clear();
        cusum = new double[m];
        runStart = new long[m];
        run = new Level[m];
        for (int c = 0; c < m; c++) {
            run[c] = new Level();
        }
    }

    private static double sd(List<Float> std, int c) {
        if (std == null || std.size() <= c) {
            return 0;
        }
        float v = std.get(c);
        return Float.isFinite(v) ? v : 0;
    }

    private static double sq(double v) {
        return Double.isFinite(v) ? v * v : 0;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    public StoredClassDetector toStored() {
        List<Double> warm = new ArrayList<>(classes.size());
        List<Double> sums = new ArrayList<>(classes.size());
        List<Long> starts = new ArrayList<>(classes.size());
        List<StoredLevel> runs = new ArrayList<>(classes.size());
        for (int c = 0; c < classes.size(); c++) {
            warm.add(warmSum[c]);
            sums.add(cusum[c]);
            starts.add(runStart[c]);
            runs.add(run[c].toStored());
        }
        return new StoredClassDetector(classes, baseline, warmCount, base.toStored(), warm, sums, starts, runs);
    }

    public void restore(StoredClassDetector s) {
        reset(s.getClasses());
        baseline = s.getBaseline();
        warmCount = s.getWarmCount();
        base.restore(s.getBase());
        for (int c = 0; c < classes.size(); c++) {
            warmSum[c] = s.getWarmSum().get(c);
            cusum[c] = s.getCusum().get(c);
            runStart[c] = s.getRunStart().get(c);
            run[c].restore(s.getRun().get(c));
        }
    }
}
