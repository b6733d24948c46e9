package io.xasstream.loadtests.soak;

import io.xasstream.loadtests.loadgen.Ledger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 35's soak criteria over the samples: heap after GC at the end within ±10 % of its value at minute 5, lag
 * never above one second of input, no ERROR log line, and nothing lost or duplicated.
 */
record SoakVerdict(List<String> lines, boolean pass) {
    static final int REFERENCE_MINUTE = 5;
    static final double HEAP_TOLERANCE = 0.10;

    static SoakVerdict of(List<SoakSample> samples, double rate, Ledger.Counts counts) {
        List<String> lines = new ArrayList<>();
        boolean pass = true;
        if (samples.isEmpty()) {
            return new SoakVerdict(List.of("no sample taken"), false);
        }
        SoakSample last = samples.get(samples.size() - 1);
        SoakSample ref = samples.stream().filter(s -> s.minutes() >= REFERENCE_MINUTE - 1e-9).findFirst()
                .filter(s -> s != last).orElse(samples.get(0));
        double change = (last.heapAfterGc() - ref.heapAfterGc()) / ref.heapAfterGc();
        boolean heap = Math.abs(change) <= HEAP_TOLERANCE;
        pass &= heap;
        lines.add(String.format(Locale.ROOT, "heap after GC: %.1f MB at minute %.1f, %.1f MB at minute %.1f (%+.1f %%; "
                + "limit ±%.0f %%)%s%s", ref.heapAfterGc() / 1e6, ref.minutes(), last.heapAfterGc() / 1e6,
                last.minutes(), 100 * change, 100 * HEAP_TOLERANCE, ok(heap), ref.minutes() >= REFERENCE_MINUTE - 1e-9
                ? "" : " (a run shorter than " + REFERENCE_MINUTE + " minutes: compared with its first sample)"));
        long lagMax = samples.stream().mapToLong(SoakSample::outstandingMax).max().orElse(0);
        double kafkaLag = samples.stream().mapToDouble(SoakSample::kafkaLagMax).filter(v -> !Double.isNaN(v)).max()
                .orElse(Double.NaN);
        boolean lag = lagMax <= rate && !(kafkaLag > rate);
        pass &= lag;
        lines.add(String.format(Locale.ROOT, "lag: at most %d spectra outstanding end to end, consumer records-lag-max "
                + "%.0f (limit: 1 s of input = %.0f spectra)%s", lagMax, kafkaLag, rate, ok(lag)));
        boolean errors = last.errorLines() == 0;
        pass &= errors;
        lines.add("ERROR log lines of the services: " + last.errorLines() + ok(errors));
        boolean exact = counts.lost() == 0 && counts.duplicated() == 0;
        pass &= exact;
        lines.add(String.format(Locale.ROOT, "spectra: %d sent, %d answered, %d dead-lettered, lost %d, duplicated %d%s",
                counts.sent(), counts.answered(), counts.deadLettered(), counts.lost(), counts.duplicated(),
                ok(exact)));
        lines.add(pass ? "verdict: PASS" : "verdict: FAIL");
        return new SoakVerdict(List.copyOf(lines), pass);
    }

    private static String ok(boolean ok) {
        return ok ? " — ok" : " — FAILS";
    }
}
