package io.xasstream.ingest.karabo;

import io.xasstream.ingest.mapping.Paths;
import io.xasstream.ingest.msgpack.Msgpack;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.msgpack.NdArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Karabo bridge message (one train) → {@link Train}. Protocol 2.x: pairs of parts, a msgpack header
 * ({@code source}, {@code content}: "msgpack" with {@code metadata}, or "array" with {@code path}, {@code dtype},
 * {@code shape}) then the payload (a msgpack map of the source's non-array data, or the raw C-order array bytes).
 * Protocol 1.0: one part, a msgpack map source → data with arrays msgpack-numpy encoded and the metadata under
 * {@code metadata}.
 */
public final class KaraboDecoder {
    private KaraboDecoder() {
    }

    /** @throws MsgpackException for a message that does not follow either protocol */
    public static Train decode(List<byte[]> parts) throws MsgpackException {
        if (parts.isEmpty()) {
            throw new MsgpackException("empty message");
        }
        Map<String, Map<String, Object>> data = new LinkedHashMap<>();
        Map<String, Map<String, Object>> metadata = new LinkedHashMap<>();
        if (parts.size() == 1) {
            version1(parts.get(0), data, metadata);
        } else {
            if (parts.size() % 2 != 0) {
                throw new MsgpackException("a protocol 2 message has header/payload pairs, not " + parts.size()
                        + " parts");
            }
            for (int i = 0; i < parts.size(); i += 2) {
                piece(parts.get(i), parts.get(i + 1), data, metadata);
            }
        }
        long tid = -1;
        double ts = Double.NaN;
        for (Map<String, Object> m : metadata.values()) {
            double t = Paths.number(m.get("timestamp.tid"));
            if (tid < 0 && Double.isFinite(t)) {
                tid = (long) t;
            }
            double s = Paths.number(m.get("timestamp"));
            if (Double.isNaN(ts) && Double.isFinite(s)) {
                ts = s;
            }
        }
        if (tid < 0) {
            throw new MsgpackException("no source gives timestamp.tid (the train id)");
        }
        return new Train(tid, ts, data, metadata);
    }

    @SuppressWarnings("unchecked")
    private static void version1(byte[] part, Map<String, Map<String, Object>> data,
                                 Map<String, Map<String, Object>> metadata) throws MsgpackException {
        if (!(Msgpack.decode(part) instanceof Map<?, ?> all)) {
            throw new MsgpackException("a protocol 1.0 message is a map of sources");
        }
        for (Map.Entry<?, ?> e : all.entrySet()) {
            if (!(e.getValue() instanceof Map<?, ?> src)) {
                throw new MsgpackException("source " + e.getKey() + " is not a map");
            }
            Map<String, Object> values = new LinkedHashMap<>((Map<String, Object>) src);
            Object meta = values.remove("metadata");
            data.put(String.valueOf(e.getKey()), values);
            metadata.put(String.valueOf(e.getKey()), meta instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        }
    }

    @SuppressWarnings("unchecked")
    private static void piece(byte[] headerBytes, byte[] payload, Map<String, Map<String, Object>> data,
                              Map<String, Map<String, Object>> metadata) throws MsgpackException {
        if (!(Msgpack.decode(headerBytes) instanceof Map<?, ?> header)
                || !(header.get("source") instanceof String source) || !(header.get("content") instanceof String c)) {
            throw new MsgpackException("a header part is a map with source and content");
        }
        switch (c) {
            case "msgpack" -> {
                if (!(Msgpack.decode(payload) instanceof Map<?, ?> values)) {
                    throw new MsgpackException(source + ": msgpack content is not a map");
                }
                data.computeIfAbsent(source, k -> new LinkedHashMap<>()).putAll((Map<String, Object>) values);
                metadata.put(source, header.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m
                        : Map.of());
            }
            case "array" -> {
                if (!(header.get("path") instanceof String path) || !(header.get("dtype") instanceof String dtype)
                        || !(header.get("shape") instanceof List<?> shapeList)) {
                    throw new MsgpackException(source + ": an array header needs path, dtype and shape");
                }
                int[] shape = new int[shapeList.size()];
                for (int i = 0; i < shape.length; i++) {
                    double d = Paths.number(shapeList.get(i));
                    if (!(d >= 0) || d > Integer.MAX_VALUE) {
                        throw new MsgpackException(source + "/" + path + ": bad shape " + shapeList);
                    }
                    shape[i] = (int) d;
                }
                NdArray a = new NdArray(dtype, shape, payload);
                a.toDoubles(); // checks dtype and size now: a bad array fails its train, not a later mapping
                data.computeIfAbsent(source, k -> new LinkedHashMap<>()).put(path, a);
            }
            default -> throw new MsgpackException(source + ": unknown content '" + c + "'");
        }
    }
}
