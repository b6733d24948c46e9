package io.xasstream.dashboard.feed;

/**
 * The narrowing a browser asked for ({@code /events?experiment=E&sample=S}); either may be absent. Global items
 * (sample list, stats) pass every filter.
 */
public record Filter(String experiment, String sample) {
    public static final Filter ALL = new Filter(null, null);

    public Filter {
        experiment = blankToNull(experiment);
        sample = blankToNull(sample);
    }

    /** True when this filter names one sample of one experiment. */
    public boolean oneSample() {
        return experiment != null && sample != null;
    }

    /** Keys are experimentId/sampleId (RecordKeys); an experiment id may itself hold a slash. */
    public boolean matches(String key) {
        if (key == null) {
            return true;
        }
        if (experiment != null && sample != null) {
            return key.equals(experiment + "/" + sample);
        }
        if (experiment != null) {
            return key.startsWith(experiment + "/");
        }
        return sample == null || key.endsWith("/" + sample);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
