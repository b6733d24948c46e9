package io.xasstream.common.serde;

/**
 * Turns records of one topic into bytes and back; implementations are thread-safe.
 *
 * @param <T> the record type (a generated Avro class, or SpecificRecord for topics that carry several)
 */
public interface RecordCodec<T> {
    byte[] encode(String topic, T record);

    /** @throws AvroDecodeException with DECODE_FAILED or UNKNOWN_SCHEMA */
    T decode(String topic, byte[] bytes);
}
