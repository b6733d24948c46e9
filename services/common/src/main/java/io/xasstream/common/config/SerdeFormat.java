package io.xasstream.common.config;

/** How Avro records are framed on the topics. */
public enum SerdeFormat {
    /** Avro single-object encoding: 2-byte marker + 8-byte schema fingerprint + body; no registry needed. */
    SINGLE_OBJECT,
    /** Confluent wire format: magic byte 0 + 4-byte schema id from a schema registry + body. */
    CONFLUENT
}
