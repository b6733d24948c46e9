package io.xasstream.core;

import java.util.Objects;

/** A spectrum that cannot be processed, with the reason code that sends it to the dead-letter topic. */
public class SpectrumRejectedException extends Exception {
    private final ReasonCode reason;

    public SpectrumRejectedException(ReasonCode reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public SpectrumRejectedException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public ReasonCode reason() {
        return reason;
    }

    @Override
    public String toString() {
        return reason + ": " + getMessage();
    }
}
