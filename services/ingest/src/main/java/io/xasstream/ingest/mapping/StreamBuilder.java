package io.xasstream.ingest.mapping;

import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.msgpack.NdArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the rows of one stream from {@code event} documents (one row each) and {@code event_page} documents
 * (column-wise: {@code data: {key: [values]}, seq_num: [...], time: [...]}), in any order, and turns them into
 * columns ordered by {@code seq_num}.
 */
public final class StreamBuilder {
    private record Row(long seq, double time, Map<String, Object> data) {
    }

    private final Map<String, Map<String, Object>> dataKeys = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();

    /** Adds a descriptor's {@code data_keys}. */
    public void descriptor(Map<String, Object> descriptor) {
        if (descriptor.get("data_keys") instanceof Map<?, ?> keys) {
            keys.forEach((k, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                if (v instanceof Map<?, ?> m) {
                    m.forEach((a, b) -> entry.put(String.valueOf(a), b));
                }
                dataKeys.put(String.valueOf(k), entry);
            });
        }
    }

    /**
     * Adds one event.
     *
     * @throws IngestRejection (UNDECODABLE_DOCUMENT) when it has no data map or seq_num
     */
    public void event(Map<String, Object> event) throws IngestRejection {
        if (!(event.get("data") instanceof Map<?, ?> data) || !(event.get("seq_num") instanceof Number seq)) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT,
                    "event without data or seq_num");
        }
        Map<String, Object> row = new LinkedHashMap<>();
        data.forEach((k, v) -> row.put(String.valueOf(k), v));
        rows.add(new Row(seq.longValue(), Paths.number(event.get("time")), row));
    }

    /**
     * Adds the rows of an event page; a column may be a list or a numpy array.
     *
     * @throws IngestRejection (UNDECODABLE_DOCUMENT) when its columns do not all have one value per seq_num
     */
    public void eventPage(Map<String, Object> page) throws IngestRejection {
        List<Object> seq = list(page.get("seq_num"), "seq_num");
        List<Object> time = page.containsKey("time") ? list(page.get("time"), "time") : null;
        if (!(page.get("data") instanceof Map<?, ?> data)) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "event_page without data");
        }
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : data.entrySet()) {
            List<Object> col = list(e.getValue(), "data." + e.getKey());
            if (col.size() != seq.size()) {
                throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "event_page column "
                        + e.getKey() + " has " + col.size() + " values for " + seq.size() + " seq_nums");
            }
            columns.put(String.valueOf(e.getKey()), col);
        }
        for (int i = 0; i < seq.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> c : columns.entrySet()) {
                row.put(c.getKey(), c.getValue().get(i));
            }
            double t = time != null && i < time.size() ? Paths.number(time.get(i)) : Double.NaN;
            rows.add(new Row((long) Paths.number(seq.get(i)), t, row));
        }
    }

    private static List<Object> list(Object value, String what) throws IngestRejection {
        if (value instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        if (value instanceof NdArray a) {
            try {
                double[] v = a.toDoubles();
                List<Object> out = new ArrayList<>(v.length);
                if (a.shape().length == 1) {
                    for (double d : v) {
                        out.add(d);
                    }
                    return out;
                }
                // one row per event: a page of per-event arrays; each becomes a non-scalar cell
                for (int r = 0; r < a.rows(); r++) {
                    out.add(a.row(v, r));
                }
                return out;
            } catch (MsgpackException e) {
                throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, what + ": "
                        + e.getMessage());
            }
        }
        throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "event_page " + what
                + " is not a list");
    }

    /** Columns ordered by seq_num (then time); only keys whose every present value is a numeric scalar. */
    public StreamData build() {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(Row::seq).thenComparingDouble(Row::time));
        Set<String> keys = new LinkedHashSet<>(dataKeys.keySet());
        sorted.forEach(r -> keys.addAll(r.data().keySet()));
        Set<String> nonScalar = new HashSet<>();
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String k : keys) {
            double[] col = new double[sorted.size()];
            Arrays.fill(col, Double.NaN);
            boolean any = false;
            for (int i = 0; i < sorted.size() && !nonScalar.contains(k); i++) {
                Object v = sorted.get(i).data().get(k);
                if (v == null) {
                    continue;
                }
                if (v instanceof Number || v instanceof Boolean) {
                    col[i] = Paths.number(v);
                    any = true;
                } else if (v instanceof NdArray a && a.size() == 1) {
                    try {
                        col[i] = a.toDoubles()[0];
                        any = true;
                    } catch (MsgpackException e) {
                        nonScalar.add(k);
                    }
                } else {
                    nonScalar.add(k);
                }
            }
            if (any && !nonScalar.contains(k)) {
                columns.put(k, col);
            }
        }
        double[] times = new double[sorted.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = sorted.get(i).time();
        }
        return new StreamData(Map.copyOf(dataKeys), columns, times);
    }
}
