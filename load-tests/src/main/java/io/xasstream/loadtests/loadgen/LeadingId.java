package io.xasstream.loadtests.loadgen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * The spectrum id of a single-object-encoded result or dead letter, read from the head of the body without decoding
 * the rest: the reader must not spend the CPU it measures on decoding ~1 KB per answer. It reads only messages of
 * the current schema version (fingerprint checked), whose first field is the id; anything else is null here and
 * decoded in full by the caller.
 */
final class LeadingId {
    private static final int HEADER = 10;

    private final long fingerprint;
    private final boolean nullable;

    LeadingId(Schema schema) {
        Schema first = schema.getFields().get(0).schema();
        if (first.getType() == Schema.Type.STRING) {
            nullable = false;
        } else if (first.getType() == Schema.Type.UNION && first.getTypes().size() == 2
                && first.getTypes().get(0).getType() == Schema.Type.NULL
                && first.getTypes().get(1).getType() == Schema.Type.STRING) {
            nullable = true;
        } else {
            throw new IllegalArgumentException(schema.getFullName() + " does not start with a string id");
        }
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Whether this message is of the schema version this reader knows. */
    boolean knows(byte[] message) {
        return message != null && message.length >= HEADER && message[0] == (byte) 0xC3 && message[1] == 0x01
                && ByteBuffer.wrap(message, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() == fingerprint;
    }

    /** The id (null when the message is not {@link #knows known} or its id is null). */
    String read(byte[] message) {
        if (!knows(message)) {
            return null;
        }
        int[] pos = {HEADER};
        if (nullable && varLong(message, pos) == 0) {
            return null;
        }
        int length = (int) varLong(message, pos);
        return new String(message, pos[0], length, StandardCharsets.UTF_8);
    }

    /** An Avro zig-zag varint at pos[0]; advances it. */
    private static long varLong(byte[] b, int[] pos) {
        long raw = 0;
        int shift = 0;
        int i = pos[0];
        while (true) {
            int v = b[i++] & 0xFF;
            raw |= (long) (v & 0x7F) << shift;
            if ((v & 0x80) == 0) {
                break;
            }
            shift += 7;
        }
        pos[0] = i;
        return (raw >>> 1) ^ -(raw & 1);
    }
}
