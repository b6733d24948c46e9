package io.xasstream.dashboard.feed;

/** What an {@link Item} carries; the name is its list in an event's JSON. */
public enum Kind {
    /** One InferenceResult (per spectrum). */
    RESULT("results"),
    /** The latest OperandoState of a sample. */
    STATE("states"),
    /** One change-point Alert. */
    ALERT("alerts"),
    /** One normalised spectrum on the dashboard's small grid. */
    SPECTRUM("spectra"),
    /** The sample picker: every sample followed, newest first, with counts (global). */
    SAMPLES("samples"),
    /** Throughput, lag, dead-letter rate and clients (global). */
    STATS("stats");

    private final String field;

    Kind(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }

    /** Only the newest item of this kind (per key) matters to a browser. */
    public boolean latestOnly() {
        return this == STATE || this == SAMPLES || this == STATS;
    }
}
