package io.xasstream.ingest.msgpack;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * msgpack bytes → plain Java values: {@code null}, Boolean, Long, Double, String, byte[], List, Map (keys as
 * strings, binary keys read as UTF-8) and {@link NdArray} for msgpack-numpy maps. A msgpack-numpy scalar
 * ({@code nd: false}) becomes a Double.
 *
 * <p>Why binary keys matter: msgpack-numpy writes its map keys as bytes ({@code b'nd'}), which Python's msgpack
 * packs as bin, not str; a reader that only accepts str keys would miss every numpy array Bluesky sends.
 */
public final class Msgpack {
    /** Deeper nesting than this is refused: a few bytes of garbage must not exhaust the stack. */
    static final int MAX_DEPTH = 64;

    private Msgpack() {
    }

    /**
     * Decodes exactly one value filling the whole buffer.
     *
     * @throws MsgpackException for truncated or malformed bytes, trailing bytes, or unsupported extension types
     */
    public static Object decode(byte[] bytes) throws MsgpackException {
        if (bytes == null || bytes.length == 0) {
            throw new MsgpackException("empty message");
        }
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Object value = read(u, 0);
            if (u.hasNext()) {
                throw new MsgpackException("trailing bytes after the first value (" + (bytes.length
                        - u.getTotalReadBytes()) + " bytes)");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new MsgpackException("not msgpack: " + e.getMessage(), e);
        }
    }

    private static Object read(MessageUnpacker u, int depth) throws IOException, MsgpackException {
        if (depth > MAX_DEPTH) {
            throw new MsgpackException("nested deeper than " + MAX_DEPTH);
        }
        MessageFormat f = u.getNextFormat();
        ValueType type = f.getValueType();
        switch (type) {
            case NIL -> {
                u.unpackNil();
                return null;
            }
            case BOOLEAN -> {
                return u.unpackBoolean();
            }
            case INTEGER -> {
                if (f == MessageFormat.UINT64) {
                    BigInteger big = u.unpackBigInteger();
                    return big.bitLength() < 64 ? (Object) big.longValue() : (Object) big.doubleValue();
                }
                return u.unpackLong();
            }
            case FLOAT -> {
                return u.unpackDouble();
            }
            case STRING -> {
                return u.unpackString();
            }
            case BINARY -> {
                return u.readPayload(u.unpackBinaryHeader());
            }
            case ARRAY -> {
                int n = u.unpackArrayHeader();
                List<Object> list = new ArrayList<>(Math.min(n, 1 << 16));
                for (int i = 0; i < n; i++) {
                    list.add(read(u, depth + 1));
                }
                return list;
            }
            case MAP -> {
                int n = u.unpackMapHeader();
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object key = read(u, depth + 1);
                    String k = key instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(key);
                    map.put(k, read(u, depth + 1));
                }
                return numpy(map);
            }
            case EXTENSION -> {
                var ext = u.unpackExtensionTypeHeader();
                if (ext.getType() == -1) { // msgpack timestamp
                    u.readPayload(ext.getLength());
                    throw new MsgpackException("msgpack timestamp extension is not supported");
                }
                throw new MsgpackException("msgpack extension type " + ext.getType() + " is not supported");
            }
            default -> throw new MsgpackException("unexpected msgpack type " + type);
        }
    }

    /** msgpack-numpy's encoding of arrays and scalars → {@link NdArray} / Double; any other map as it is. */
    private static Object numpy(Map<String, Object> map) throws MsgpackException {
        Object nd = map.get("nd");
        if (!(nd instanceof Boolean) || !(map.get("data") instanceof byte[] data) || !map.containsKey("type")) {
            return map;
        }
        String dtype = map.get("type") instanceof byte[] b ? new String(b, StandardCharsets.UTF_8)
                : String.valueOf(map.get("type"));
        if (!(Boolean) nd) {
            double[] v = new NdArray(dtype, new int[0], data).toDoubles();
            return v[0];
        }
        if (!(map.get("shape") instanceof List<?> shapeList)) {
            throw new MsgpackException("msgpack-numpy array without a shape");
        }
        int[] shape = new int[shapeList.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new MsgpackException("msgpack-numpy shape " + shapeList + " is not a list of sizes");
            }
            shape[i] = d.intValue();
        }
        return new NdArray(dtype, shape, data);
    }
}
