package io.xasstream.ingest.msgpack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Plain Java values → msgpack the way Python's msgpack (use_bin_type=True) with msgpack-numpy writes them: a
 * {@code double[]} or {@link NdArray} becomes a msgpack-numpy map with binary keys, a {@link NumpyScalar} its
 * scalar form. The writer behind the simulated sources (Bluesky runs, Karabo trains) and their tests.
 */
public final class MsgpackWriter {
    /** A numpy scalar (np.float64): msgpack-numpy writes it as {@code {nd: False, type: '<f8', data: 8 bytes}}. */
    public record NumpyScalar(double value) {
    }

    private MsgpackWriter() {
    }

    public static byte[] write(Object value) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            pack(p, value);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void pack(MessagePacker p, Object v) throws IOException {
        if (v == null) {
            p.packNil();
        } else if (v instanceof String s) {
            p.packString(s);
        } else if (v instanceof Boolean b) {
            p.packBoolean(b);
        } else if (v instanceof Double || v instanceof Float) {
            p.packDouble(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            p.packLong(n.longValue());
        } else if (v instanceof byte[] b) {
            p.packBinaryHeader(b.length).writePayload(b);
        } else if (v instanceof double[] d) {
            pack(p, new NdArray("<f8", new int[] {d.length}, littleEndian(d)));
        } else if (v instanceof NdArray a) {
            p.packMapHeader(5);
            binKey(p, "nd");
            p.packBoolean(true);
            binKey(p, "type");
            p.packString(a.dtype());
            binKey(p, "kind");
            p.packBinaryHeader(0);
            binKey(p, "shape");
            p.packArrayHeader(a.shape().length);
            for (int s : a.shape()) {
                p.packLong(s);
            }
            binKey(p, "data");
            p.packBinaryHeader(a.data().length).writePayload(a.data());
        } else if (v instanceof NumpyScalar s) {
            p.packMapHeader(3);
            binKey(p, "nd");
            p.packBoolean(false);
            binKey(p, "type");
            p.packString("<f8");
            binKey(p, "data");
            byte[] b = littleEndian(new double[] {s.value()});
            p.packBinaryHeader(b.length).writePayload(b);
        } else if (v instanceof Map<?, ?> m) {
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pack(p, e.getKey());
                pack(p, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            p.packArrayHeader(l.size());
            for (Object o : l) {
                pack(p, o);
            }
        } else if (v instanceof int[] ints) {
            p.packArrayHeader(ints.length);
            for (int i : ints) {
                p.packLong(i);
            }
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as msgpack");
        }
    }

    private static void binKey(MessagePacker p, String key) throws IOException {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        p.packBinaryHeader(b.length).writePayload(b);
    }

    /** float64 little-endian bytes (numpy's '<f8'). */
    public static byte[] littleEndian(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }
}
