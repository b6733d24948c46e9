package io.xasstream.loadtests.loadgen;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Over several runs per target: the median p99 and throughput, and whether every run was clean. */
public final class Summary {
    private Summary() {
    }

    /** The median of the values (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** @return true when every run lost nothing, duplicated nothing and dead-lettered exactly what was injected */
    public static boolean print(PrintStream out, Map<String, List<LoadReport>> byTarget) {
        boolean clean = true;
        for (Map.Entry<String, List<LoadReport>> e : byTarget.entrySet()) {
            List<LoadReport> runs = e.getValue();
            double[] p99 = runs.stream().mapToDouble(r -> r.p(99)).toArray();
            double[] rate = runs.stream().mapToDouble(LoadReport::throughput).toArray();
            long lost = runs.stream().mapToLong(r -> r.counts().lost()).sum();
            long duplicated = runs.stream().mapToLong(r -> r.counts().duplicated()).sum();
            boolean ok = runs.stream().allMatch(LoadReport::clean);
            long sustained = runs.stream().filter(LoadReport::sustained).count();
            clean &= ok;
            out.printf(Locale.ROOT, "%s over %d run(s): median p99 %.2f ms (runs: %s), median %,.0f spectra/s; "
                    + "sustained in %d of %d; lost %d, duplicated %d%s%n", e.getKey(), runs.size(), median(p99),
                    Arrays.toString(Arrays.stream(p99).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toArray()),
                    median(rate), sustained, runs.size(), lost, duplicated, ok ? "" : " — NOT CLEAN");
        }
        return clean;
    }
}
