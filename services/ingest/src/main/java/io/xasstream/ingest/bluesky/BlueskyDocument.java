package io.xasstream.ingest.bluesky;

import io.xasstream.ingest.msgpack.Msgpack;
import io.xasstream.ingest.msgpack.MsgpackException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Bluesky document as {@code bluesky-kafka} publishes it: the message value is msgpack of the 2-element array
 * {@code [name, doc]} (numpy values msgpack-numpy encoded).
 */
public record BlueskyDocument(String name, Map<String, Object> doc) {

    /** Documents that make up a scan. */
    public static final Set<String> USED = Set.of("start", "descriptor", "event", "event_page", "stop");
    /** Documents of the event model that carry no scan data for us (external file references). */
    public static final Set<String> IGNORED = Set.of("resource", "datum", "datum_page", "stream_resource",
            "stream_datum", "bulk_events", "bulk_datum");

    /**
     * @throws MsgpackException when the bytes are not msgpack of a [name, map] pair
     */
    @SuppressWarnings("unchecked")
    public static BlueskyDocument decode(byte[] value) throws MsgpackException {
        Object v = Msgpack.decode(value);
        if (!(v instanceof List<?> pair) || pair.size() != 2) {
            throw new MsgpackException("a Bluesky message is a [name, doc] pair, not " + describe(v));
        }
        Object name = pair.get(0) instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : pair.get(0);
        if (!(name instanceof String n) || !(pair.get(1) instanceof Map<?, ?> doc)) {
            throw new MsgpackException("a Bluesky message is a [name, doc] pair, not [" + describe(pair.get(0)) + ", "
                    + describe(pair.get(1)) + "]");
        }
        return new BlueskyDocument(n, (Map<String, Object>) doc);
    }

    private static String describe(Object v) {
        return v == null ? "nil" : v instanceof List<?> l ? "an array of " + l.size() : v.getClass().getSimpleName();
    }
}
