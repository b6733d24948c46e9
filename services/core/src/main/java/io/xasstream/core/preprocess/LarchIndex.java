package io.xasstream.core.preprocess;

/** Larch 0.9.58's array helpers ({@code larch.math.utils}): index_of, index_nearest, remove_dups. */
final class LarchIndex {
    private LarchIndex() {}

    /** remove_dups defaults: smallest absolute and fractional energy step Larch keeps. */
    static final double DUPS_TINY = 1.e-7;
    static final double DUPS_FRAC = 1.e-6;

    /** index_of: last index with a[i] &lt;= value, or 0 if value &lt; min(a). a must be increasing. */
    static int indexOf(double[] a, double value) {
        if (value < a[0]) {
            return 0;
        }
        int lo = 0;
        int hi = a.length - 1;
        while (lo < hi) { // largest i with a[i] <= value
            int mid = (lo + hi + 1) >>> 1;
            if (a[mid] <= value) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * index_nearest: argmin |a[i] - value|, the first index on ties (as numpy argmin). a must be increasing, so the
     * distance falls then rises: bisect, then step left over equal distances to keep numpy's first-index rule.
     */
    static int indexNearest(double[] a, double value) {
        int j = indexOf(a, value);
        if (j + 1 < a.length && Math.abs(a[j + 1] - value) < Math.abs(a[j] - value)) {
            j++;
        }
        while (j > 0 && Math.abs(a[j - 1] - value) <= Math.abs(a[j] - value)) {
            j--;
        }
        return j;
    }

    /**
     * remove_dups(arr, tiny=1e-7, frac=1e-6): raise any value closer than {@code tiny} above its predecessor.
     * Returns {@code a} itself when nothing needs to change (the common case), else a corrected copy.
     */
    static double[] removeDups(double[] a) {
        int n = a.length;
        boolean needed = false;
        for (int i = 1; i < n && !needed; i++) {
            needed = a[i] - a[i - 1] < DUPS_TINY;
        }
        if (!needed) {
            return a;
        }
        double[] r = a.clone();
        for (int i = 1; i < n; i++) {
            double t = Math.max(DUPS_TINY, DUPS_FRAC * Math.abs(r[i] - r[i - 1]));
            if (r[i] - r[i - 1] < DUPS_TINY) {
                r[i] = r[i - 1] + t;
            }
        }
        if (Math.abs(r[n - 1] - r[n - 2]) < DUPS_TINY) {
            r[n - 1] = r[n - 2] + DUPS_TINY;
        }
        return r;
    }
}
