package io.xasstream.core;

/**
 * Why a spectrum was refused: every refusal carries one of these codes to the dead-letter topic.
 *
 * <p>The names are a public contract (they appear in {@code RejectedSpectrum.reasonCode}, in metrics labels
 * and in dashboards): add codes, never rename or remove one.
 */
public enum ReasonCode {
    // --- decoding (the bytes on the topic) ---
    /** The bytes are not a complete Avro message (truncated, garbage, wrong header). */
    DECODE_FAILED(Stage.DECODE),
    /** The message names a schema fingerprint / registry id this service does not know. */
    UNKNOWN_SCHEMA(Stage.DECODE),
    /** The message is larger than the configured maximum. */
    MESSAGE_TOO_LARGE(Stage.DECODE),

    // --- record shape (decoded, but not a usable spectrum) ---
    /** A required field is missing or empty (no energy axis, no mu and no raw channels, no element ...). */
    MISSING_FIELD(Stage.VALIDATE),
    /** Arrays that must have one value per energy point have different lengths. */
    LENGTH_MISMATCH(Stage.VALIDATE),
    /** Fewer energy points than the minimum the preprocessing needs. */
    TOO_FEW_POINTS(Stage.VALIDATE),
    /** Energies decrease somewhere. */
    NON_MONOTONIC_ENERGY(Stage.VALIDATE),
    /** Two energies are equal. */
    DUPLICATE_ENERGY(Stage.VALIDATE),
    /** NaN or infinity in energy, mu or a channel. */
    NON_FINITE_VALUE(Stage.VALIDATE),
    /** The incident-flux channel i0 is zero or negative, so mu cannot be derived. */
    NON_POSITIVE_I0(Stage.VALIDATE),
    /** The element symbol is not a chemical element (or outside the tabulated range). */
    UNKNOWN_ELEMENT(Stage.VALIDATE),

    // --- preprocessing ---
    /** No edge was found within the window expected for the element and edge. */
    EDGE_NOT_FOUND(Stage.PREPROCESS),
    /** The fitted edge step is zero or negative. */
    NON_POSITIVE_EDGE_STEP(Stage.PREPROCESS),
    /** The spectrum does not cover the model's energy grid (and the manifest does not allow padding). */
    GRID_NOT_COVERED(Stage.PREPROCESS),

    // --- routing / inference ---
    /** No model is served for this element and edge. */
    NO_MODEL(Stage.ROUTE),
    /** The model run failed for this record. */
    INFERENCE_FAILED(Stage.INFER),

    // --- ingest adapters (Bluesky documents, Karabo trains, Tiled runs → Spectrum) ---
    /** A source message (Bluesky document, Karabo train) is not readable msgpack of the expected shape. */
    UNDECODABLE_DOCUMENT(Stage.DECODE),
    /** A document refers to a run or descriptor this adapter never saw (its start was not read). */
    ORPHAN_DOCUMENT(Stage.DECODE),
    /** A run ended with an exit status other than success (aborted, failed): no spectrum is made of it. */
    RUN_NOT_SUCCESSFUL(Stage.VALIDATE),
    /**
     * A Bluesky run never stopped: open longer than {@code ingest.bluesky.run-max-age-ms} of stream time, or the
     * oldest when a task holds more than {@code ingest.bluesky.max-open-runs} open runs. Dropped from the store.
     */
    RUN_EXPIRED(Stage.VALIDATE),
    /** A column the profile maps (energy, i0, itrans or fluorescence) is not in the run's data. */
    MISSING_COLUMN(Stage.VALIDATE),
    /** A scan was still open when the source ended (Karabo scan mode): too little to bin into one spectrum. */
    SCAN_INCOMPLETE(Stage.VALIDATE);

    private final Stage stage;

    ReasonCode(Stage stage) {
        this.stage = stage;
    }

    /** The pipeline stage at which this reason is normally detected. */
    public Stage stage() {
        return stage;
    }

    /** Pipeline stages, as recorded in {@code RejectedSpectrum.stage}. */
    public enum Stage { DECODE, VALIDATE, PREPROCESS, ROUTE, INFER, PUBLISH }
}
