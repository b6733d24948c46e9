package io.xasstream.ingest.profile;

/**
 * A profile file that cannot be used: the message names the file, the key and what is wrong. An argument error, so
 * the command line reports it as one ("error: ...", exit code 2).
 */
public final class ProfileException extends IllegalArgumentException {
    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
