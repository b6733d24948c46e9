package io.xasstream.ingest.mapping;

import io.xasstream.core.ReasonCode;

/** Why a run, document or train cannot become a spectrum: a reason code for the dead-letter topic and a message. */
public final class IngestRejection extends Exception {
    private final ReasonCode reason;

    public IngestRejection(ReasonCode reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ReasonCode reason() {
        return reason;
    }
}
