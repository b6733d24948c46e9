package io.xasstream.monitor.stream;

import io.xasstream.monitor.detect.FirstShellPeak;
import io.xasstream.monitor.detect.Quantity;
import io.xasstream.monitor.state.RollingWindow;
import io.xasstream.monitor.state.SampleState;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.operando.SampleSnapshot;
import io.xasstream.schema.operando.WindowStats;
import io.xasstream.schema.result.ClassEstimate;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.result.OodEstimate;
import io.xasstream.schema.result.ScalarEstimate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/** Pure conversions: a result → the point kept per sample; the sample's state → the published OperandoState. */
public final class Snapshots {
    private Snapshots() {
    }

    /**
     * The followed quantities of one result: oxidation state and CN as expected value ± spread, the first-shell
     * peak from the pseudo-PDF (its first maximum), or the regressed first-shell distance when there is no PDF.
     */
    public static SampleSnapshot of(InferenceResult r) {
        ScalarEstimate peak = FirstShellPeak.of(r.getPdf());
        if (peak == null && r.getFirstShellDistance() != null) {
            ScalarEstimate d = r.getFirstShellDistance();
            peak = ScalarEstimate.newBuilder(d).setUnit(d.getUnit().isEmpty() ? Quantity.FIRST_SHELL_PEAK.unit()
                    : d.getUnit()).build();
        }
        return SampleSnapshot.newBuilder()
                .setSpectrumId(r.getSpectrumId())
                .setAcquiredAt(r.getTimings().getAcquiredAt())
                .setOxidationState(expected(r.getOxidationState()))
                .setCoordinationNumber(expected(r.getCoordinationNumber()))
                .setFirstShellPeak(peak)
                .setOodFlagged(r.getOod().getFlagged())
                .setUntrusted(untrusted(r))
                .setConditions(new HashMap<>(r.getConditions()))
                .build();
    }

    /**
     * The quantities whose model flagged this spectrum. A result without per-task estimates (written before they
     * existed) is judged by its one flag, for every quantity.
     */
    static List<String> untrusted(InferenceResult r) {
        List<String> out = new ArrayList<>(3);
        for (Quantity q : Quantity.values()) {
            OodEstimate own = r.getOodByTask().get(q.task());
            if (own != null ? own.getFlagged() : r.getOod().getFlagged()) {
                out.add(q.label());
            }
        }
        return out;
    }

    /** Whether a quantity of this point may enter windows and detectors. */
    public static boolean trusted(SampleSnapshot s, Quantity q) {
        return !s.getUntrusted().contains(q.label());
    }

    private static ScalarEstimate expected(ClassEstimate c) {
        return c == null ? null : ScalarEstimate.newBuilder().setMean(c.getExpectedValue()).setStd(c.getStd())
                .setUnit("").build();
    }

    /** Values entering the rolling windows, by {@link Quantity#ordinal()}; NaN for absent or untrusted. */
    public static double[] windowValues(SampleSnapshot s) {
        double[] v = {Double.NaN, Double.NaN, Double.NaN};
        if (s == null) {
            return v;
        }
        v[Quantity.OXIDATION_STATE.ordinal()] = mean(s.getOxidationState());
        v[Quantity.COORDINATION_NUMBER.ordinal()] = mean(s.getCoordinationNumber());
        v[Quantity.FIRST_SHELL_PEAK.ordinal()] = mean(s.getFirstShellPeak());
        for (Quantity q : Quantity.values()) {
            if (!trusted(s, q)) {
                v[q.ordinal()] = Double.NaN;
            }
        }
        return v;
    }

    private static double mean(ScalarEstimate e) {
        return e == null ? Double.NaN : e.getMean();
    }

    /** Name of a window statistic: quantity plus window, e.g. oxidation_state[n=20], oxidation_state[t=60000ms]. */
    public static String countWindowName(Quantity q, int count) {
        return q.label() + "[n=" + count + "]";
    }

    public static String timeWindowName(Quantity q, long ms) {
        return q.label() + "[t=" + ms + "ms]";
    }

    public static OperandoState operandoState(SampleState s, SampleSnapshot latest, int windowCount, long windowMs) {
        List<WindowStats> windows = new ArrayList<>();
        addWindows(windows, s.countWindow(), q -> countWindowName(q, windowCount));
        addWindows(windows, s.timeWindow(), q -> timeWindowName(q, windowMs));
        return OperandoState.newBuilder()
                .setKey(s.key())
                .setExperimentId(s.experimentId())
                .setSampleId(s.sampleId())
                .setElement(s.element())
                .setSpectraSeen(s.spectraSeen())
                .setOodFlaggedCount(s.oodFlagged())
                .setLatest(latest)
                .setWindow(windows)
                .setAlertCount(s.alertCount())
                .setLastAlertId(s.lastAlertId())
                .setUpdatedAt(fromMicros(s.updatedAtMicros()))
                .build();
    }

    private static void addWindows(List<WindowStats> out, RollingWindow w,
                                   Function<Quantity, String> name) {
        for (Quantity q : Quantity.values()) {
            if (w.stats(q).count() > 0) {
                out.add(w.stats(q).toWindowStats(name.apply(q)));
            }
        }
    }

    public static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    public static Instant fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
