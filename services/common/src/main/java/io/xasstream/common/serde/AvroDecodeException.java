package io.xasstream.common.serde;

import io.xasstream.core.ReasonCode;
import org.apache.kafka.common.errors.SerializationException;

/** Bytes that are not a message we can read, with the reason code the dead-letter record will carry. */
public class AvroDecodeException extends SerializationException {
    private final ReasonCode reason;

    public AvroDecodeException(ReasonCode reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public AvroDecodeException(ReasonCode reason, String message) {
        this(reason, message, null);
    }

    public ReasonCode reason() {
        return reason;
    }
}
