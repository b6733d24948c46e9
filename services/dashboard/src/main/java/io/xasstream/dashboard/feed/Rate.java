package io.xasstream.dashboard.feed;

import java.util.Arrays;

/** Events per second over the last {@link #SECONDS} whole seconds (one bucket per second). */
final class Rate {
    static final int SECONDS = 10;

    private final long[] counts = new long[SECONDS + 1];
    private long currentSecond = Long.MIN_VALUE;

    void add(long n, long nowMs) {
        roll(nowMs);
        counts[(int) Math.floorMod(currentSecond, counts.length)] += n;
    }

    /** Mean rate over the completed seconds of the window. */
    double perSecond(long nowMs) {
        roll(nowMs);
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (i != (int) Math.floorMod(currentSecond, counts.length)) {
                sum += counts[i];
            }
        }
        return sum / (double) SECONDS;
    }

    private void roll(long nowMs) {
        long second = Math.floorDiv(nowMs, 1000);
        if (currentSecond == Long.MIN_VALUE || second - currentSecond > counts.length) {
            Arrays.fill(counts, 0);
            currentSecond = second;
            return;
        }
        while (currentSecond < second) {
            currentSecond++;
            counts[(int) Math.floorMod(currentSecond, counts.length)] = 0;
        }
    }
}
