package io.xasstream.common.serde;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads a body written with exactly the reader's schema straight off the binary decoder: no schema resolution, and
 * arrays of double or float filled as primitive arrays instead of one boxed value per point.
 *
 * <p>Why: Avro's resolving readers box every element of an {@code array<double>}, which made decoding a
 * single-record spectrum most of the inference poll stage. Only the current version of a type is read here;
 * bodies of older versions need resolution and go through Avro's own reader. Counts are checked against the body
 * length before anything is allocated, so a corrupt count cannot ask for gigabytes.
 */
final class DirectRecordReader {
    /** Per thread: one binary decoder, re-pointed at each body. */
    private static final ThreadLocal<BinaryDecoder[]> DECODER = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private final SpecificData model;
    private final Schema schema;

    DirectRecordReader(SpecificData model, Schema schema) {
        this.model = model;
        this.schema = schema;
    }

    /** True when the schema holds an array of double or float somewhere: the case this reader exists for. */
    static boolean worthwhile(Schema schema) {
        return holdsNumericArray(schema, new HashSet<>());
    }

    private static boolean holdsNumericArray(Schema s, Set<String> seen) {
        return switch (s.getType()) {
            case ARRAY -> {
                Schema.Type t = s.getElementType().getType();
                yield t == Schema.Type.DOUBLE || t == Schema.Type.FLOAT || holdsNumericArray(s.getElementType(), seen);
            }
            case RECORD -> seen.add(s.getFullName())
                    && s.getFields().stream().anyMatch(f -> holdsNumericArray(f.schema(), seen));
            case UNION -> s.getTypes().stream().anyMatch(t -> holdsNumericArray(t, seen));
            case MAP -> holdsNumericArray(s.getValueType(), seen);
            default -> false;
        };
    }

    /** The record in {@code body[offset..]}. */
    SpecificRecord read(byte[] body, int offset) throws IOException {
        BinaryDecoder[] holder = DECODER.get();
        int length = body.length - offset;
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(body, offset, length, holder[0]);
        holder[0] = in;
        return (SpecificRecord) read(schema, in, length);
    }

    private Object read(Schema s, BinaryDecoder in, int length) throws IOException {
        LogicalType logical = s.getLogicalType();
        Object raw = readRaw(s, in, length);
        if (logical != null) {
            Conversion<?> conversion = model.getConversionFor(logical);
            if (conversion != null) {
                return Conversions.convertToLogicalType(raw, s, logical, conversion);
            }
        }
        return raw;
    }

    private Object readRaw(Schema s, BinaryDecoder in, int length) throws IOException {
        switch (s.getType()) {
            case RECORD: {
                SpecificRecord r = (SpecificRecord) model.newRecord(null, s);
                for (Schema.Field f : s.getFields()) {
                    r.put(f.pos(), read(f.schema(), in, length));
                }
                return r;
            }
            case UNION: {
                int branch = in.readIndex();
                List<Schema> types = s.getTypes();
                if (branch < 0 || branch >= types.size()) {
                    throw new AvroRuntimeException("union branch " + branch + " of " + types.size());
                }
                return read(types.get(branch), in, length);
            }
            case ARRAY:
                return readArray(s, in, length);
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
                    check(n, 1, length, "map");
                    for (long i = 0; i < n; i++) {
                        map.put(in.readString(), read(s.getValueType(), in, length));
                    }
                }
                return map;
            }
            case ENUM: {
                int symbol = in.readEnum();
                List<String> symbols = s.getEnumSymbols();
                if (symbol < 0 || symbol >= symbols.size()) {
                    throw new AvroRuntimeException("enum index " + symbol + " of " + symbols.size());
                }
                return model.createEnum(symbols.get(symbol), s);
            }
            case FIXED: {
                byte[] bytes = new byte[s.getFixedSize()];
                in.readFixed(bytes);
                return model.createFixed(null, bytes, s);
            }
            case STRING:
                return in.readString();
            case BYTES:
                return in.readBytes(null);
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case FLOAT:
                return in.readFloat();
            case DOUBLE:
                return in.readDouble();
            case BOOLEAN:
                return in.readBoolean();
            case NULL:
                in.readNull();
                return null;
            default:
                throw new AvroRuntimeException("unsupported schema type " + s.getType());
        }
    }

    private Object readArray(Schema s, BinaryDecoder in, int length) throws IOException {
        Schema items = s.getElementType();
        if (items.getLogicalType() == null && items.getType() == Schema.Type.DOUBLE) {
            long n = in.readArrayStart();
            check(n, 8, length, "array<double>");
            PrimitivesArrays.DoubleArray a = new PrimitivesArrays.DoubleArray((int) Math.max(n, 0), s);
            for (; n > 0; n = in.arrayNext()) {
                check(n, 8, length, "array<double>");
                for (long i = 0; i < n; i++) {
                    a.add(a.size(), in.readDouble());
                }
            }
            return a;
        }
        if (items.getLogicalType() == null && items.getType() == Schema.Type.FLOAT) {
            long n = in.readArrayStart();
            check(n, 4, length, "array<float>");
            PrimitivesArrays.FloatArray a = new PrimitivesArrays.FloatArray((int) Math.max(n, 0), s);
            for (; n > 0; n = in.arrayNext()) {
                check(n, 4, length, "array<float>");
                for (long i = 0; i < n; i++) {
                    a.add(a.size(), in.readFloat());
                }
            }
            return a;
        }
        GenericData.Array<Object> a = new GenericData.Array<>(0, s);
        for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
            check(n, 1, length, "array");
            for (long i = 0; i < n; i++) {
                a.add(read(items, in, length));
            }
        }
        return a;
    }

    /** A block of {@code n} items of at least {@code bytesEach} bytes cannot be longer than the whole body. */
    private static void check(long n, int bytesEach, int length, String what) {
        if (n > length / bytesEach) {
            throw new AvroRuntimeException(what + " block of " + n + " items in a body of " + length + " bytes");
        }
    }
}
