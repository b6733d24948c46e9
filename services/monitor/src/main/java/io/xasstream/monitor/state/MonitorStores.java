package io.xasstream.monitor.state;

/**
 * Names and key layout of the monitor's state stores. History and alert keys are the sample key, '#', and a
 * 19-digit sequence number, so that one sample's entries are contiguous and ordered in a range scan.
 */
public final class MonitorStores {
    /** Sample key → {@link SampleState} as {@link SampleStateCodec} writes it. */
    public static final String SAMPLES = "monitor-samples";
    /** Sample key # point number → SampleSnapshot (bounded history per sample: the time series). */
    public static final String HISTORY = "monitor-history";
    /** Sample key # alert number → Alert (the last alerts per sample). */
    public static final String ALERTS = "monitor-alerts";

    private static final int DIGITS = 19;

    private MonitorStores() {
    }

    public static String entryKey(String sampleKey, long seq) {
        String n = Long.toString(seq);
        StringBuilder sb = new StringBuilder(sampleKey.length() + 1 + DIGITS).append(sampleKey).append('#');
        for (int i = n.length(); i < DIGITS; i++) {
            sb.append('0');
        }
        return sb.append(n).toString();
    }

    /** True when {@code entryKey} belongs to {@code sampleKey} (not to a sample whose id extends it). */
    public static boolean belongsTo(String entryKey, String sampleKey) {
        return entryKey.length() == sampleKey.length() + 1 + DIGITS && entryKey.startsWith(sampleKey)
                && entryKey.charAt(sampleKey.length()) == '#';
    }
}
