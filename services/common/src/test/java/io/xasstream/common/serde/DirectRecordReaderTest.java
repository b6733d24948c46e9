package io.xasstream.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.common.testdata.Records;
import io.xasstream.core.ReasonCode;
import io.xasstream.schema.SchemaHistory;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class DirectRecordReaderTest {

    @Test
    void readsEveryTopLevelTypeExactlyAsAvrosOwnReaderDoes() throws IOException {
        // Given random records of every schema on our topics (every union branch, empty and long arrays, maps)
        for (Class<? extends SpecificRecordBase> type : SchemaHistory.TOP_LEVEL) {
            Schema schema = SchemaHistory.current(type);
            SpecificData model = SpecificData.getForClass(type);
            DirectRecordReader direct = new DirectRecordReader(model, schema);
            SpecificDatumReader<SpecificRecord> avro = new SpecificDatumReader<>(schema, schema, model);
            for (int seed = 0; seed < 300; seed++) {
                byte[] body = encode(schema, randomDatum(schema, new Random(seed), 0));

                // When read by both
                SpecificRecord expected = avro.read(null, DecoderFactory.get().binaryDecoder(body, null));
                SpecificRecord actual = direct.read(body, 0);

                // Then the same record
                assertThat(actual).as("%s seed %d", type.getSimpleName(), seed).isEqualTo(expected);
            }
        }
    }

    @Test
    void spectraComeBackWithPrimitiveArraysThroughTheCodec() {
        SingleObjectCodec<Spectrum> codec = SingleObjectCodec.of(Spectrum.class);
        Spectrum s = Records.spectrum("a");

        Spectrum back = codec.decode("t", codec.encode("t", s));

        assertThat(back).isEqualTo(s);
        assertThat(back.getMu()).isInstanceOf(PrimitivesArrays.DoubleArray.class);
    }

    @Test
    void onlySchemasWithNumericArraysAreReadDirectly() {
        assertThat(DirectRecordReader.worthwhile(Spectrum.getClassSchema())).isTrue();
        assertThat(DirectRecordReader.worthwhile(InferenceResult.getClassSchema()))
                .isTrue();
        assertThat(DirectRecordReader.worthwhile(Alert.getClassSchema())).isFalse();
    }

    @Test
    void aCorruptArrayCountIsRefusedBeforeAnythingIsAllocated() throws IOException {
        // Given an energy axis whose values array claims 2^30 doubles (8 GiB) in a body of a few bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        e.writeArrayStart();
        e.setItemCount(1L << 30);
        e.flush();
        DirectRecordReader reader = new DirectRecordReader(SpecificData.getForClass(ExplicitEnergyAxis.class),
                ExplicitEnergyAxis.getClassSchema());

        // When read, Then it fails with a reason (the codec's DECODE_FAILED), not an OutOfMemoryError
        assertThatThrownBy(() -> reader.read(out.toByteArray(), 0)).isInstanceOf(AvroRuntimeException.class)
                .hasMessageContaining("array<double> block of 1073741824 items");
    }

    @Test
    void theCodecRejectsCorruptCountsAsDecodeFailedWhateverTheirSize() throws IOException {
        SingleObjectCodec<ExplicitEnergyAxis> codec = SingleObjectCodec.of(ExplicitEnergyAxis.class);
        byte[] header = Arrays.copyOf(codec.encode("t", new ExplicitEnergyAxis(List.of(1.0))), 10);
        for (long count : new long[] {1L << 30, 1L << 40}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header);
            BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
            e.writeArrayStart();
            e.setItemCount(count);
            e.flush();

            assertThatThrownBy(() -> codec.decode("t", out.toByteArray())).isInstanceOf(AvroDecodeException.class)
                    .extracting(x -> ((AvroDecodeException) x).reason()).isEqualTo(ReasonCode.DECODE_FAILED);
        }
    }

    @Test
    void aTruncatedBodyFails() throws IOException {
        Schema schema = Spectrum.getClassSchema();
        byte[] good = encode(schema, randomDatum(schema, new Random(1), 0));
        DirectRecordReader direct = new DirectRecordReader(SpecificData.getForClass(Spectrum.class), schema);

        assertThatThrownBy(() -> direct.read(Arrays.copyOf(good, good.length / 2), 0))
                .isInstanceOfAny(IOException.class, AvroRuntimeException.class, IndexOutOfBoundsException.class);
    }

    private static byte[] encode(Schema schema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<>(schema).write(datum, e);
        e.flush();
        return out.toByteArray();
    }

    /** A random datum of any schema (generic representation; logical types as their underlying values). */
    private static Object randomDatum(Schema s, Random r, int depth) {
        switch (s.getType()) {
            case RECORD: {
                GenericData.Record rec = new GenericData.Record(s);
                for (Schema.Field f : s.getFields()) {
                    rec.put(f.pos(), randomDatum(f.schema(), r, depth + 1));
                }
                return rec;
            }
            case UNION:
                return randomDatum(s.getTypes().get(r.nextInt(s.getTypes().size())), r, depth + 1);
            case ARRAY: {
                int n = r.nextInt(4) == 0 ? 0 : r.nextInt(depth > 4 ? 3 : 300);
                GenericData.Array<Object> a = new GenericData.Array<>(n, s);
                for (int i = 0; i < n; i++) {
                    a.add(randomDatum(s.getElementType(), r, depth + 1));
                }
                return a;
            }
            case MAP: {
                Map<String, Object> m = new HashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put("k" + r.nextInt(100) + "Å", randomDatum(s.getValueType(), r, depth + 1));
                }
                return m;
            }
            case ENUM:
                return new GenericData.EnumSymbol(s, s.getEnumSymbols().get(r.nextInt(s.getEnumSymbols().size())));
            case FIXED: {
                byte[] b = new byte[s.getFixedSize()];
                r.nextBytes(b);
                return new GenericData.Fixed(s, b);
            }
            case STRING:
                return "s" + r.nextInt(1000) + (r.nextBoolean() ? "Å·µ" : "");
            case BYTES: {
                byte[] b = new byte[r.nextInt(40)];
                r.nextBytes(b);
                return ByteBuffer.wrap(b);
            }
            case INT:
                return r.nextInt();
            case LONG:
                return r.nextLong() % 4_000_000_000_000_000L;
            case FLOAT:
                return (float) r.nextGaussian() * 1e3f;
            case DOUBLE:
                return r.nextGaussian() * 1e4;
            case BOOLEAN:
                return r.nextBoolean();
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException(s.getType().toString());
        }
    }
}
