package io.xasstream.ingest.msgpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/** msgpack as Python's msgpack + msgpack-numpy write it: binary keys, numpy arrays and scalars, nesting, garbage. */
class MsgpackTest {

    @Test
    void numpyArraysWithBinaryKeysDecodeToTheirValues() throws Exception {
        double[] values = {1.5, -2.25, 7e10};
        Object v = Msgpack.decode(MsgpackWriter.write(Map.of("I0", values)));
        NdArray a = (NdArray) ((Map<?, ?>) v).get("I0");
        assertThat(a.shape()).containsExactly(3);
        assertThat(a.toDoubles()).containsExactly(values);
    }

    @Test
    void aNumpyScalarIsADouble() throws Exception {
        Object v = Msgpack.decode(MsgpackWriter.write(List.of(new MsgpackWriter.NumpyScalar(8979.25))));
        assertThat(v).isEqualTo(List.of(8979.25));
    }

    @Test
    void stringKeyedNumpyMapsAsOlderEncodersWriteThemDecodeToo() throws Exception {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packMapHeader(5);
            p.packString("nd").packBoolean(true);
            p.packString("type").packString("<i4");
            p.packString("kind").packString("");
            p.packString("shape").packArrayHeader(2).packInt(2).packInt(2);
            byte[] data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(-2).putInt(3)
                    .putInt(4).array();
            p.packString("data").packBinaryHeader(16).writePayload(data);
            NdArray a = (NdArray) Msgpack.decode(p.toByteArray());
            assertThat(a.rows()).isEqualTo(2);
            assertThat(a.columns()).isEqualTo(2);
            assertThat(a.toDoubles()).containsExactly(1, -2, 3, 4);
        }
    }

    @Test
    void dtypesOfKaraboAndNumpySpellingsAreRead() throws Exception {
        ByteBuffer be = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(3.5);
        assertThat(new NdArray(">f8", new int[] {1}, be.array()).toDoubles()).containsExactly(3.5);
        assertThat(new NdArray("uint16", new int[] {2}, new byte[] {(byte) 0xff, (byte) 0xff, 1, 0}).toDoubles())
                .containsExactly(65535, 1);
        assertThat(new NdArray("|u1", new int[] {1}, new byte[] {(byte) 200}).toDoubles()).containsExactly(200);
        assertThat(new NdArray("bool", new int[] {2}, new byte[] {0, 1}).toDoubles()).containsExactly(0, 1);
        assertThatThrownBy(() -> new NdArray("<c16", new int[] {1}, new byte[16]).toDoubles())
                .hasMessageContaining("unsupported array dtype");
        assertThatThrownBy(() -> new NdArray("<f8", new int[] {3}, new byte[16]).toDoubles())
                .hasMessageContaining("needs 24 bytes");
    }

    @Test
    void garbageTruncationTrailingBytesAndDeepNestingAreRefused() {
        assertThatThrownBy(() -> Msgpack.decode(new byte[0])).isInstanceOf(MsgpackException.class);
        assertThatThrownBy(() -> Msgpack.decode(new byte[] {(byte) 0x92, 0x01})).isInstanceOf(MsgpackException.class);
        assertThatThrownBy(() -> Msgpack.decode(new byte[] {0x01, 0x02})).hasMessageContaining("trailing");
        byte[] deep = new byte[200];
        Arrays.fill(deep, (byte) 0x91); // [[[[...
        assertThatThrownBy(() -> Msgpack.decode(deep)).hasMessageContaining("nested deeper");
    }
}
