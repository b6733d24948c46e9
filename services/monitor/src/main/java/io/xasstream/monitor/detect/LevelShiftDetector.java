package io.xasstream.monitor.detect;

import io.xasstream.schema.monitor.StoredLevelShift;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shift of the level of a continuous quantity (the first-shell peak): two-sided CUSUM on standardised residuals
 * against a baseline.
 *
 * <p>The baseline is the weighted mean of {@code warmup} consecutive trusted results that show no trend (their
 * weighted slope moves the level by less than 2k standard deviations across the warm-up; otherwise the oldest is
 * dropped and the next one awaited). Each later result gives {@code z = (x - μ0) / sqrt(σ² + s0² + se0²)}: σ the
 * result's own standard deviation (uncertain results weigh less), s0 the scatter seen during the warm-up (so an
 * over-confident model does not raise false alarms) and se0 the baseline's standard error. {@code S+ = max(0, S+ +
 * z - k)}, {@code S- = max(0, S- - z - k)}; a change is decided when either exceeds h. The change point reported
 * is the first result of the run; the detector then needs a new stable warm-up, so one transition gives one
 * alert.
 */
public final class LevelShiftDetector {
    private final Quantity quantity;
    private final double h;
    private final double k;
    private final int warmup;

    private final double[] warmX;
    private final double[] warmSigma;
    private int warmCount;
    private boolean armed;
    private final Level base = new Level();
    private double baseScatter;
    private double up;
    private double down;
    private long upStart;
    private long downStart;
    /** The latest trusted points (x, σ, seq), to place the change precisely once it is decided. */
    private final double[] recentX;
    private final double[] recentSigma;
    private final long[] recentSeq;
    private int recentCount;

    public LevelShiftDetector(Quantity quantity, double h, double k, int warmup) {
        this.quantity = quantity;
        this.h = h;
        this.k = k;
        this.warmup = warmup;
        this.warmX = new double[warmup];
        this.warmSigma = new double[warmup];
        int recent = Math.max(2 * warmup, 32);
        this.recentX = new double[recent];
        this.recentSigma = new double[recent];
        this.recentSeq = new long[recent];
    }

    public String method() {
        return String.format(Locale.ROOT, "cusum(h=%s,k=%s,warmup=%d)", h, k, warmup);
    }

    public boolean armed() {
        return armed;
    }

    /** Baseline level (NaN while warming up). */
    public double baseline() {
        return armed ? base.mean() : Double.NaN;
    }

    public Change update(long seq, double x, double sigma) {
        if (!Double.isFinite(x)) {
            return null;
        }
        double s = Double.isFinite(sigma) && sigma > 0 ? sigma : 0;
        if (!armed) {
            warmUp(x, s);
            return null;
        }
        double scale = Math.sqrt(s * s + baseScatter * baseScatter + sq(base.standardError()));
        if (!(scale > 0)) {
            scale = Level.MIN_SIGMA;
        }
        double z = (x - base.mean()) / scale;
        double nextUp = Math.max(0, up + z - k);
        double nextDown = Math.max(0, down - z - k);
        if (nextUp > 0 && up == 0) {
            upStart = seq;
        }
        if (nextDown > 0 && down == 0) {
            downStart = seq;
        }
        up = nextUp;
        down = nextDown;
        remember(seq, x, s);
        if (up <= h && down <= h) {
            return null;
        }
        boolean rising = up >= down;
        // Page's estimate (start of the run) refined: the split of the run's points that best separates the
        // baseline from a new level (maximum likelihood with the baseline known)
        long runStart = rising ? upStart : downStart;
        double mu0 = base.mean();
        int bestJ = -1;
        double bestGain = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < recentCount; j++) {
            if (recentSeq[j] < runStart) {
                continue;
            }
            double sw = 0;
            double swx = 0;
            for (int i = j; i < recentCount; i++) {
                double w = 1 / sq(Math.max(recentSigma[i], Level.MIN_SIGMA));
                sw += w;
                swx += w * recentX[i];
            }
            double m = swx / sw;
            double gain = 0;
            for (int i = j; i < recentCount; i++) {
                double w = 1 / sq(Math.max(recentSigma[i], Level.MIN_SIGMA));
                gain += w * (sq(recentX[i] - mu0) - sq(recentX[i] - m));
            }
            if (gain > bestGain) {
                bestGain = gain;
                bestJ = j;
            }
        }
        Level after = new Level();
        long changeSeq = seq;
        if (bestJ >= 0) {
            changeSeq = recentSeq[bestJ];
            for (int i = bestJ; i < recentCount; i++) {
                after.add(recentX[i], recentSigma[i]);
            }
        } else {
            after.add(x, s);
        }
        Change change = new Change(quantity, mu0, base.standardError(), after.mean(), after.standardError(),
                null, null, changeSeq, seq,
                Change.confidence(mu0, base.standardError(), after.mean(), after.standardError()), method());
        armed = false;
        warmCount = 0;
        up = down = 0;
        recentCount = 0;
        base.clear();
        return change;
    }

    private void remember(long seq, double x, double s) {
        if (recentCount == recentX.length) {
            System.arraycopy(recentX, 1, recentX, 0, recentCount - 1);
            System.arraycopy(recentSigma, 1, recentSigma, 0, recentCount - 1);
            System.arraycopy(recentSeq, 1, recentSeq, 0, recentCount - 1);
            recentCount--;
        }
        recentX[recentCount] = x;
        recentSigma[recentCount] = s;
        recentSeq[recentCount] = seq;
        recentCount++;
    }

    private void warmUp(double x, double s) {
        if (warmCount == warmup) {
            System.arraycopy(warmX, 1, warmX, 0, warmup - 1);
            System.arraycopy(warmSigma, 1, warmSigma, 0, warmup - 1);
            warmCount--;
        }
        warmX[warmCount] = x;
        warmSigma[warmCount] = s;
        warmCount++;
        if (warmCount < warmup) {
            return;
        }
        // weighted least squares line through the warm-up: is it flat?
        double sw = 0;
        double st = 0;
        double sx = 0;
        double sumSigma2 = 0;
        for (int i = 0; i < warmup; i++) {
            double sg = Math.max(warmSigma[i], Level.MIN_SIGMA);
            double w = 1 / (sg * sg);
            sw += w;
            st += w * i;
            sx += w * warmX[i];
            sumSigma2 += warmSigma[i] * warmSigma[i];
        }
        double tMean = st / sw;
        double xMean = sx / sw;
        double stt = 0;
        double stx = 0;
        double ss = 0;
        for (int i = 0; i < warmup; i++) {
            double sg = Math.max(warmSigma[i], Level.MIN_SIGMA);
            double w = 1 / (sg * sg);
            stt += w * (i - tMean) * (i - tMean);
            stx += w * (i - tMean) * (warmX[i] - xMean);
            ss += (warmX[i] - xMean) * (warmX[i] - xMean);
        }
        double slope = stx / stt;
        double scatter = Math.sqrt(ss / (warmup - 1));
        double sigma = Math.sqrt(sumSigma2 / warmup + scatter * scatter);
        if (Math.abs(slope) * (warmup - 1) > 2 * k * sigma) {
            return; // still moving: slide on
        }
        base.clear();
        for (int i = 0; i < warmup; i++) {
            base.add(warmX[i], warmSigma[i]);
        }
        baseScatter = scatter;
        armed = true;
        up = down = 0;
        recentCount = 0;
    }

    private static double sq(double v) {
        return Double.isFinite(v) ? v * v : 0;
    }

    public StoredLevelShift toStored() {
        List<Double> wx = new ArrayList<>(warmCount);
        List<Double> ws = new ArrayList<>(warmCount);
        for (int i = 0; i < warmCount; i++) {
            wx.add(warmX[i]);
            ws.add(warmSigma[i]);
        }
        List<Double> rx = new ArrayList<>(recentCount);
        List<Double> rs = new ArrayList<>(recentCount);
        List<Long> rq = new ArrayList<>(recentCount);
        for (int i = 0; i < recentCount; i++) {
            rx.add(recentX[i]);
            rs.add(recentSigma[i]);
            rq.add(recentSeq[i]);
        }
        return new StoredLevelShift(armed, wx, ws, base.toStored(), baseScatter, up, down, upStart, downStart, rx, rs,
                rq);
    }

    public void restore(StoredLevelShift s) {
        armed = s.getArmed();
        int n = s.getWarmX().size();
        warmCount = 0;
        for (int i = Math.max(0, n - warmup); i < n; i++) { // the warm-up length may have been shortened since
            warmX[warmCount] = s.getWarmX().get(i);
            warmSigma[warmCount] = s.getWarmSigma().get(i);
            warmCount++;
        }
        base.restore(s.getBase());
        baseScatter = s.getBaseScatter();
        up = s.getUp();
        down = s.getDown();
        upStart = s.getUpStart();
        downStart = s.getDownStart();
        recentCount = 0;
        for (int i = 0; i < s.getRecentX().size(); i++) {
            remember(s.getRecentSeq().get(i), s.getRecentX().get(i), s.getRecentSigma().get(i));
        }
    }
}
