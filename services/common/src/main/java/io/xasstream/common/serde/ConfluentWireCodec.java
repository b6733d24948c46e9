package io.xasstream.common.serde;

import io.xasstream.core.ReasonCode;
import io.xasstream.schema.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary body; subject = topic + "-value"
 * (TopicNameStrategy), so that Confluent consumers and tools can read our topics and we can read theirs.
 */
public final class ConfluentWireCodec<T extends SpecificRecord> implements RecordCodec<T> {
    private final SchemaRegistryClient registry;
    private final Map<String, Class<? extends SpecificRecord>> typesByName = new HashMap<>();
    private final Map<Integer, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();

    public ConfluentWireCodec(SchemaRegistryClient registry, List<Class<? extends SpecificRecord>> types) {
        AvroTrust.install();
        this.registry = registry;
        types.forEach(t -> typesByName.put(SchemaHistory.current(t).getFullName(), t));
    }

    @Override
    public byte[] encode(String topic, T record) {
        Schema schema = record.getSchema();
        int id = registry.register(topic + "-value", schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new SpecificDatumWriter<T>(schema, SpecificData.getForClass(record.getClass())).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(String topic, byte[] bytes) {
        if (bytes == null || bytes.length < 5 || bytes[0] != 0) {
            throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "not a Confluent wire-format message");
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        SpecificDatumReader<SpecificRecord> reader = readers.computeIfAbsent(id, this::readerFor);
        if (reader == null) {
            throw new AvroDecodeException(ReasonCode.UNKNOWN_SCHEMA, "schema id " + id
                    + " is unknown to the registry or not a record this topic carries");
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
            return (T) reader.read(null, decoder);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException
                 | NegativeArraySizeException e) {
            throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "cannot decode body of schema id " + id
                    + ": " + e, e);
        }
    }

    private SpecificDatumReader<SpecificRecord> readerFor(int id) {
        Optional<Schema> writer = registry.byId(id);
        if (writer.isEmpty()) {
            return null;
        }
        Class<? extends SpecificRecord> type = typesByName.get(writer.get().getFullName());
        if (type == null) {
            return null;
        }
        return new SpecificDatumReader<>(writer.get(), SchemaHistory.current(type), SpecificData.getForClass(type));
    }
}
