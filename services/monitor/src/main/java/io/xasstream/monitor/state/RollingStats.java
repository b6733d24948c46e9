package io.xasstream.monitor.state;

import io.xasstream.schema.monitor.StoredStats;
import io.xasstream.schema.operando.WindowStats;

/**
 * Count, mean, standard deviation, min and max of one quantity over a sliding window, kept incrementally: values
 * enter and leave with O(1) work; when the value leaving is the current min or max, the extremes are marked stale
 * and the owner recomputes them from the window's points ({@link #resetExtremes()} then {@link #offerExtreme}).
 */
public final class RollingStats {
    private long n;
    private double shift;
    private double sum;
    private double sumSq;
    private double min = Double.NaN;
    private double max = Double.NaN;
    private long minSeq = -1;
    private long maxSeq = -1;
    private boolean stale;

    public void add(long seq, double x) {
        if (!Double.isFinite(x)) {
            return;
        }
        if (n == 0) {
            shift = x;
            sum = sumSq = 0;
        }
        n++;
        double d = x - shift;
        sum += d;
        sumSq += d * d;
        offerExtreme(seq, x);
    }

    public void remove(long seq, double x) {
        if (!Double.isFinite(x) || n == 0) {
            return;
        }
        n--;
        if (n == 0) {
            sum = sumSq = 0;
            resetExtremes();
            stale = false;
            return;
        }
        double d = x - shift;
        sum -= d;
        sumSq -= d * d;
        if (seq == minSeq || seq == maxSeq) {
            stale = true;
        }
    }

    /** The min or max left the window: recompute them from the points still in it. */
    public boolean stale() {
        return stale;
    }

    public void resetExtremes() {
        min = max = Double.NaN;
        minSeq = maxSeq = -1;
        stale = false;
    }

    /** Newer points win ties, so that the extreme leaves the window as late as possible. */
    public void offerExtreme(long seq, double x) {
        if (!Double.isFinite(x)) {
            return;
        }
        if (Double.isNaN(min) || x <= min) {
            min = x;
            minSeq = seq;
        }
        if (Double.isNaN(max) || x >= max) {
            max = x;
            maxSeq = seq;
        }
    }

    public long count() {
        return n;
    }

    public double mean() {
        return n == 0 ? Double.NaN : shift + sum / n;
    }

    /** Sample standard deviation (0 for a single value). */
    public double std() {
        if (n < 2) {
            return n == 0 ? Double.NaN : 0;
        }
        double m = sum / n;
        return Math.sqrt(Math.max(0, (sumSq - n * m * m) / (n - 1)));
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    public WindowStats toWindowStats(String quantity) {
        return WindowStats.newBuilder().setQuantity(quantity).setCount(n).setMean(mean()).setStd(std())
                .setMin(min).setMax(max).build();
    }

    StoredStats toStored() {
        return new StoredStats(n, shift, sum, sumSq, min, max, minSeq, maxSeq, stale);
    }

    void restore(StoredStats s) {
        n = s.getCount();
        shift = s.getShift();
        sum = s.getSum();
        sumSq = s.getSumSq();
        min = s.getMin();
        max = s.getMax();
        minSeq = s.getMinSeq();
        maxSeq = s.getMaxSeq();
        stale = s.getStale();
    }
}
