package io.xasstream.common.serde;

import io.xasstream.core.ReasonCode;
import io.xasstream.schema.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte CRC-64-AVRO fingerprint, body): self-describing, no registry.
 *
 * <p>Decodes every committed version of each accepted record type (see {@link SchemaHistory}), so archived
 * messages written by older producers stay readable; any other fingerprint is {@code UNKNOWN_SCHEMA}. The current
 * version of a type with numeric arrays is read by {@link DirectRecordReader} (same record, no boxing).
 */
public final class SingleObjectCodec<T extends SpecificRecord> implements RecordCodec<T> {
    private static final int HEADER = 10;

    /** Per thread: one growing buffer and one buffered encoder, reused for every record it encodes. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final Map<Class<?>, Encoder> encoders = new LinkedHashMap<>();
    private final Map<Long, BinaryMessageDecoder<SpecificRecord>> decoders = new HashMap<>();
    /** Current versions of types with numeric arrays: read without resolution or boxing. */
    private final Map<Long, DirectRecordReader> direct = new HashMap<>();
    private final String accepted;

    /** A codec for one record type. */
    public static <R extends SpecificRecord> SingleObjectCodec<R> of(Class<R> type) {
        return new SingleObjectCodec<>(List.of(type));
    }

    /** A codec for a topic that carries several record types (told apart by their fingerprints). */
    public static SingleObjectCodec<SpecificRecord> ofAny(List<Class<? extends SpecificRecord>> types) {
        return new SingleObjectCodec<>(types);
    }

    private SingleObjectCodec(List<? extends Class<? extends SpecificRecord>> types) {
        AvroTrust.install();
        StringBuilder names = new StringBuilder();
        for (Class<? extends SpecificRecord> type : types) {
            Schema schema = SchemaHistory.current(type);
            SpecificData model = SpecificData.getForClass(type);
            encoders.put(type, new Encoder(header(schema), new SpecificDatumWriter<>(schema, model)));
            BinaryMessageDecoder<SpecificRecord> decoder = new BinaryMessageDecoder<>(model, schema);
            long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
            decoders.put(fingerprint, decoder);
            if (DirectRecordReader.worthwhile(schema)) {
                direct.put(fingerprint, new DirectRecordReader(model, schema));
            }
            for (Schema old : SchemaHistory.versions(type)) {
                decoder.addSchema(old);
                decoders.put(SchemaNormalization.parsingFingerprint64(old), decoder);
            }
            names.append(names.length() == 0 ? "" : ", ").append(type.getSimpleName());
        }
        this.accepted = names.toString();
    }

    @Override
    public byte[] encode(String topic, T record) {
        Encoder encoder = encoders.get(record.getClass());
        if (encoder == null) {
            throw new IllegalArgumentException("topic " + topic + " carries " + accepted + ", not "
                    + record.getClass().getSimpleName());
        }
        // Same bytes as Avro's BinaryMessageEncoder, through a buffered encoder: its direct encoder writes a float
        // byte by byte into a stream, which made encoding results the largest cost of the inference commit stage.
        Scratch scratch = SCRATCH.get();
        scratch.out.reset();
        try {
            scratch.out.write(encoder.header());
            scratch.encoder = EncoderFactory.get().binaryEncoder(scratch.out, scratch.encoder);
            encoder.writer().write(record, scratch.encoder);
            scratch.encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scratch.out.toByteArray();
    }

    private static byte[] header(Schema schema) {
        return ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
                .putLong(SchemaNormalization.parsingFingerprint64(schema)).array();
    }

    private record Encoder(byte[] header, SpecificDatumWriter<SpecificRecord> writer) {
    }

    private static final class Scratch {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        BinaryEncoder encoder;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(String topic, byte[] bytes) {
        if (bytes == null || bytes.length < HEADER || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "not an Avro single-object message ("
                    + (bytes == null ? "null" : bytes.length + " bytes") + ", expected marker C3 01)");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        BinaryMessageDecoder<SpecificRecord> decoder = decoders.get(fingerprint);
        if (decoder == null) {
            throw new AvroDecodeException(ReasonCode.UNKNOWN_SCHEMA, String.format(
                    "schema fingerprint %016x is not a known version of %s", fingerprint, accepted));
        }
        try {
            DirectRecordReader reader = direct.get(fingerprint);
            return (T) (reader != null ? reader.read(bytes, HEADER) : decoder.decode(bytes));
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException
                 | NegativeArraySizeException | UnsupportedOperationException e) {
            // Truncated or corrupted bodies surface as any of these from the binary decoder (the last one from
            // Avro's own limit on collection sizes, for a corrupt count over 2^31).
            throw new AvroDecodeException(ReasonCode.DECODE_FAILED, "cannot decode " + accepted + " body ("
                    + bytes.length + " bytes): " + e, e);
        }
    }
}
