package io.xasstream.ingest.mapping;

import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A finished Bluesky run → one {@link Scan}, as the profile says; what cannot be mapped is refused with a reason. */
public final class RunMapper {
    private final Profile profile;

    public RunMapper(Profile profile) {
        this.profile = profile;
    }

    public Profile profile() {
        return profile;
    }

    /**
     * @throws IngestRejection RUN_NOT_SUCCESSFUL (exit status other than success), MISSING_COLUMN (no stream, energy,
     *                         i0 or signal column), MISSING_FIELD (no element in the start metadata)
     */
    public Scan map(RunData run) throws IngestRejection {
        requireSuccess(run);
        StreamData stream = run.streams().get(profile.stream());
        if (stream == null || stream.rows() == 0) {
            throw new IngestRejection(ReasonCode.MISSING_COLUMN, "run " + run.uid() + " has no events in stream '"
                    + profile.stream() + "' (streams: " + run.streams().keySet() + ")");
        }
        String energyKey = energyColumn(run.start(), stream);
        double scale = keV(stream.units(energyKey).orElse(profile.energyUnit())) ? 1000.0 : 1.0;
        double[] energy = stream.columns().get(energyKey);
        double[] i0 = column(stream, profile.i0(), "i0", run.uid());
        double[] itrans = profile.itrans().isBlank() ? null : stream.columns().get(profile.itrans());
        double[] ifluor = itrans != null ? null : fluorescence(stream, run.uid());
        double[] irefer = itrans == null || profile.irefer().isBlank() ? null : stream.columns().get(profile.irefer());
        List<Integer> keep = keptRows(run.uid(), energy, i0, itrans != null ? itrans : ifluor, itrans != null);
        Map<String, Object> start = run.start();
        String element = Paths.firstText(start, profile.element()).orElseThrow(() -> new IngestRejection(
                ReasonCode.MISSING_FIELD, "run " + run.uid() + ": no element in the start document (looked at "
                + profile.element() + ")"));
        return new Scan(run.uid(), profile.facility(),
                Paths.text(start.get("beamline_id")).orElse(profile.beamline()),
                Paths.firstText(start, profile.experiment()).orElse(profile.experimentDefault()),
                Paths.firstText(start, profile.sample()).orElse(profile.sampleDefault()),
                capitalised(element), Paths.firstText(start, profile.edge()).orElse(profile.edgeDefault()),
                itrans != null ? MeasurementMode.TRANSMISSION : MeasurementMode.FLUORESCENCE, startTime(start),
                pick(energy, keep, scale), pick(i0, keep, 1), pick(itrans, keep, 1), pick(ifluor, keep, 1),
                pick(irefer, keep, 1), conditions(run), metadata(run, energyKey));
    }

    private static void requireSuccess(RunData run) throws IngestRejection {
        Map<String, Object> stop = run.stop() == null ? Map.of() : run.stop();
        String status = Paths.text(stop.get("exit_status")).orElse("(none)");
        if (!status.equalsIgnoreCase("success")) {
            String reason = Paths.text(stop.get("reason")).orElse("");
            throw new IngestRejection(ReasonCode.RUN_NOT_SUCCESSFUL, "run " + run.uid() + " ended with exit_status "
                    + status + (reason.isEmpty() ? "" : ": " + reason));
        }
    }

    /**
     * Rows with energy, i0 and signal, in increasing energy: rows where a detector missed a point are left out,
     * not invented.
     */
    private static List<Integer> keptRows(String uid, double[] energy, double[] i0, double[] signal,
                                          boolean transmission) throws IngestRejection {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < energy.length; i++) {
            if (!Double.isNaN(energy[i]) && !Double.isNaN(i0[i]) && !Double.isNaN(signal[i])) {
                keep.add(i);
            }
        }
        if (keep.isEmpty()) {
            throw new IngestRejection(ReasonCode.MISSING_COLUMN, "run " + uid + ": no event has energy, i0 and "
                    + (transmission ? "itrans" : "fluorescence") + " together");
        }
        if (keep.size() > 1 && energy[keep.get(0)] > energy[keep.get(keep.size() - 1)]) {
            Collections.reverse(keep);
        }
        return keep;
    }

    private Map<String, String> metadata(RunData run, String energyKey) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", run.source());
        metadata.put("runUid", run.uid());
        metadata.put("profile", profile.name());
        metadata.put("energyColumn", energyKey);
        for (String path : profile.metadata()) {
            Paths.find(run.start(), path).flatMap(Paths::text).ifPresent(v -> metadata.put(path, v));
        }
        return metadata;
    }

    private String energyColumn(Map<String, Object> start, StreamData stream) throws IngestRejection {
        List<String> tried = new ArrayList<>();
        for (String candidate : profile.energy()) {
            Optional<String> name = candidate.startsWith(Profile.START_PREFIX)
                    ? Paths.find(start, candidate.substring(Profile.START_PREFIX.length())).flatMap(Paths::firstString)
                    : Optional.of(candidate);
            name.ifPresent(tried::add);
            if (name.isPresent() && stream.columns().containsKey(name.get())) {
                return name.get();
            }
        }
        throw new IngestRejection(ReasonCode.MISSING_COLUMN, "no energy column: tried " + profile.energy()
                + (tried.isEmpty() ? "" : " = " + tried) + "; numeric columns: " + stream.columns().keySet());
    }

    private static double[] column(StreamData stream, String key, String role, String uid) throws IngestRejection {
        double[] c = stream.columns().get(key);
        if (c == null) {
            throw new IngestRejection(ReasonCode.MISSING_COLUMN, "run " + uid + ": no " + role + " column '" + key
                    + "' (numeric columns: " + stream.columns().keySet() + ")");
        }
        return c;
    }

    private double[] fluorescence(StreamData stream, String uid) throws IngestRejection {
        double[] sum = null;
        for (String key : profile.ifluor()) {
            double[] c = stream.columns().get(key);
            if (c == null) {
                continue;
            }
            if (sum == null) {
                sum = c.clone();
            } else {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += c[i];
                }
            }
        }
        if (sum == null) {
            throw new IngestRejection(ReasonCode.MISSING_COLUMN, "run " + uid + ": neither itrans '" + profile.itrans()
                    + "' nor any fluorescence channel " + profile.ifluor() + " (numeric columns: "
                    + stream.columns().keySet() + ")");
        }
        return sum;
    }

    private Map<String, ConditionValue> conditions(RunData run) {
        Map<String, ConditionValue> out = new LinkedHashMap<>();
        profile.conditions().forEach((name, rule) -> {
            StreamData s = run.streams().get(rule.stream());
            if (s == null) {
                return;
            }
            for (String field : rule.fields()) {
                double[] c = s.columns().get(field);
                if (c == null) {
                    continue;
                }
                double sum = 0;
                int n = 0;
                for (double v : c) {
                    if (Double.isFinite(v)) {
                        sum += v;
                        n++;
                    }
                }
                if (n > 0) {
                    String unit = rule.unit().isBlank() ? s.units(field).orElse("") : rule.unit();
                    out.put(name, new ConditionValue(sum / n, unit));
                }
                return;
            }
        });
        return out;
    }

    private static boolean keV(String unit) {
        return unit.trim().toLowerCase(Locale.ROOT).equals("kev");
    }

    /** The kept rows of a column, scaled; null for a column the run does not have. */
    private static double[] pick(double[] values, List<Integer> rows, double scale) {
        if (values == null) {
            return null;
        }
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[rows.get(i)] * scale;
        }
        return out;
    }

    private static String capitalised(String symbol) {
        String s = symbol.trim();
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static Instant startTime(Map<String, Object> start) {
        double t = Paths.number(start.get("time"));
        if (!Double.isFinite(t) || t <= 0) {
            return Instant.now().truncatedTo(ChronoUnit.MICROS);
        }
        return Instant.ofEpochSecond(0, Math.round(t * 1e6) * 1000L);
    }
}
