package io.xasstream.ingest.profile;

/** A profile file that cannot be used: the message names the file, the key and what is wrong. */
public final class ProfileException extends RuntimeException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
