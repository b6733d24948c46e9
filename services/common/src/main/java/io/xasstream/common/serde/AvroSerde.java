package io.xasstream.common.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka {@link Serde} over a {@link RecordCodec}; null stays null (tombstones on compacted topics). */
public final class AvroSerde<T> implements Serde<T> {
    private final RecordCodec<T> codec;

    public AvroSerde(RecordCodec<T> codec) {
        this.codec = codec;
    }

    public RecordCodec<T> codec() {
        return codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, record) -> record == null ? null : codec.encode(topic, record);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : codec.decode(topic, bytes);
    }
}
