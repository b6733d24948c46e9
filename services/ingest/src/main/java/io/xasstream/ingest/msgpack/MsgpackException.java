package io.xasstream.ingest.msgpack;

/** Bytes that are not msgpack, or msgpack of a shape the adapter cannot use. */
public final class MsgpackException extends Exception {
    public MsgpackException(String message) {
        super(message);
    }

    public MsgpackException(String message, Throwable cause) {
        super(message, cause);
    }
}
