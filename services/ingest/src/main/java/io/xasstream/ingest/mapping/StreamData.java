package io.xasstream.ingest.mapping;

import java.util.Map;
import java.util.Optional;

/**
 * One event stream of a run, column-wise: every numeric scalar data key with one value per event, in
 * {@code seq_num} order (NaN where an event lacks the key), and the descriptors' {@code data_keys}.
 *
 * @param dataKeys data key → its descriptor entry (dtype, shape, units, source ...)
 * @param columns  data key → values; keys whose values are not numeric scalars are absent
 * @param times    event times (epoch seconds)
 */
public record StreamData(Map<String, Map<String, Object>> dataKeys, Map<String, double[]> columns, double[] times) {

    public int rows() {
        return times.length;
    }

    /** The {@code units} of a data key in its descriptor, if given. */
    public Optional<String> units(String key) {
        Map<String, Object> dk = dataKeys.get(key);
        return dk == null ? Optional.empty() : Paths.text(dk.get("units"));
    }
}
