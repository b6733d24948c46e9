package io.xasstream.ingest.karabo;

import io.xasstream.ingest.mapping.Paths;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.ingest.profile.Profile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One train from the Karabo bridge: per source its flattened data ({@code "data.image.pixels" → array}, scalars)
 * and its metadata ({@code timestamp}, {@code timestamp.tid} ...).
 *
 * @param timestamp epoch seconds of the train (NaN when no source gave one)
 */
public record Train(long trainId, double timestamp, Map<String, Map<String, Object>> data,
                    Map<String, Map<String, Object>> metadata) {

    /** The value at a profile source/path, if the train has it. */
    public Optional<Object> value(Profile.Source where) {
        Map<String, Object> src = data.get(where.source());
        if (src == null) {
            return Optional.empty();
        }
        Object v = src.get(where.path());
        return v != null ? Optional.of(v) : Paths.find(src, where.path());
    }

    /** A numeric value as an array of doubles (a scalar is one value, a list its numbers). */
    public Optional<double[]> numbers(Profile.Source where) throws MsgpackException {
        Optional<Object> v = value(where);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Object o = v.get();
        if (o instanceof NdArray a) {
            return Optional.of(a.toDoubles());
        }
        if (o instanceof List<?> l) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = Paths.number(l.get(i));
            }
            return Optional.of(out);
        }
        double d = Paths.number(o);
        return Double.isNaN(d) ? Optional.empty() : Optional.of(new double[] {d});
    }
}
