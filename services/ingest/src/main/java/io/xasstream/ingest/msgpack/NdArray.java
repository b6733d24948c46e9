package io.xasstream.ingest.msgpack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * A numpy array as it travels in msgpack: a dtype, a C-order shape and the raw bytes. Both wire forms decode to
 * it: msgpack-numpy maps ({@code nd, type, kind, shape, data}, Bluesky on Kafka, Karabo protocol 1.0) and Karabo
 * 2.2 array frames ({@code dtype, shape} header + raw bytes).
 *
 * @param dtype numpy's spelling: an array-protocol string such as {@code <f8}, {@code |u1}, or a name such as
 *              {@code float32}, {@code uint16} (native order, little-endian on every platform the bridge runs on)
 */
public record NdArray(String dtype, int[] shape, byte[] data) {

    public NdArray {
        shape = shape.clone();
    }

    /** Number of elements (product of the shape; 1 for a 0-d array). */
    public int size() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return (int) n;
    }

    /** Rows of a 2-d array (the first dimension), or 1 for a 1-d array. */
    public int rows() {
        return shape.length >= 2 ? shape[0] : 1;
    }

    /** Values along the last dimension. */
    public int columns() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /**
     * Every element as a double, in C order.
     *
     * @throws MsgpackException for an unsupported dtype or a data length that does not match dtype × shape
     */
    public double[] toDoubles() throws MsgpackException {
        Type t = Type.parse(dtype);
        int n = size();
        if ((long) n * t.size != data.length) {
            throw new MsgpackException("array of dtype " + dtype + " and shape " + Arrays.toString(shape) + " needs "
                    + (long) n * t.size + " bytes, has " + data.length);
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(t.order);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.read(b);
        }
        return out;
    }

    /** One row of a 2-d array (or the whole of a 1-d one). */
    public double[] row(double[] all, int row) {
        int cols = columns();
        return Arrays.copyOfRange(all, row * cols, (row + 1) * cols);
    }

    @Override
    public String toString() {
        return "NdArray[" + dtype + " " + Arrays.toString(shape) + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && a.dtype.equals(dtype) && Arrays.equals(a.shape, shape)
                && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    /** A numeric dtype: kind (f, i, u, b), item size and byte order. */
    private record Type(char kind, int size, ByteOrder order) {
        static Type parse(String dtype) throws MsgpackException {
            String d = dtype.trim().toLowerCase(Locale.ROOT);
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (!d.isEmpty() && "<>|=".indexOf(d.charAt(0)) >= 0) {
                order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                d = d.substring(1);
            }
            Type t = switch (d) {
                case "f8", "float64", "double" -> new Type('f', 8, order);
                case "f4", "float32", "single" -> new Type('f', 4, order);
                case "i8", "int64" -> new Type('i', 8, order);
                case "i4", "int32" -> new Type('i', 4, order);
                case "i2", "int16" -> new Type('i', 2, order);
                case "i1", "int8" -> new Type('i', 1, order);
                case "u8", "uint64" -> new Type('u', 8, order);
                case "u4", "uint32" -> new Type('u', 4, order);
                case "u2", "uint16" -> new Type('u', 2, order);
                case "u1", "uint8" -> new Type('u', 1, order);
                case "b1", "bool", "?" -> new Type('b', 1, order);
                default -> null;
            };
            if (t == null) {
                throw new MsgpackException("unsupported array dtype '" + dtype + "' (numeric and bool only)");
            }
            return t;
        }

        double read(ByteBuffer b) {
            return switch (kind) {
                case 'f' -> size == 8 ? b.getDouble() : b.getFloat();
                case 'i' -> switch (size) {
                    case 8 -> b.getLong();
                    case 4 -> b.getInt();
                    case 2 -> b.getShort();
                    default -> b.get();
                };
                case 'u' -> switch (size) {
                    case 8 -> unsignedLong(b.getLong());
                    case 4 -> Integer.toUnsignedLong(b.getInt());
                    case 2 -> Short.toUnsignedInt(b.getShort());
                    default -> Byte.toUnsignedInt(b.get());
                };
                default -> b.get() != 0 ? 1.0 : 0.0;
            };
        }

        private static double unsignedLong(long v) {
            return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
    }
}
