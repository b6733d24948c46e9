package io.xasstream.ingest.bluesky;

import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.RunData;
import io.xasstream.ingest.mapping.StreamBuilder;
import io.xasstream.ingest.mapping.StreamData;
import io.xasstream.ingest.msgpack.MsgpackException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** Reads one open run back out of the store (start, descriptors, events, pages) as {@link RunData}. */
final class RunAssembler {
    private RunAssembler() {
    }

    /** Every key of the run (for closing it) with its value. */
    static List<KeyValue<String, byte[]>> entries(KeyValueStore<String, byte[]> store, String run) {
        List<KeyValue<String, byte[]>> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(RunKeys.run(run), new StringSerializer())) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * @param stop   the stop document (or null for a partial run in live mode)
     * @param source where the run came from, for the spectrum's metadata
     * @throws IngestRejection when a stored event or page cannot be read
     */
    static RunData assemble(List<KeyValue<String, byte[]>> entries, String run, Map<String, Object> stop,
                            String source) throws IngestRejection {
        String prefix = RunKeys.run(run);
        Map<String, Object> start = null;
        Map<String, String> streamOfDescriptor = new LinkedHashMap<>();
        Map<String, StreamBuilder> streams = new LinkedHashMap<>();
        List<KeyValue<String, byte[]>> events = new ArrayList<>();
        for (KeyValue<String, byte[]> kv : entries) {
            String rest = kv.key.substring(prefix.length());
            if (rest.equals("s")) {
                start = decode(kv.value).doc();
            } else if (rest.startsWith("d/")) {
                Map<String, Object> d = decode(kv.value).doc();
                String stream = d.get("name") instanceof String s ? s : "primary";
                streamOfDescriptor.put(rest.substring(2), stream);
                streams.computeIfAbsent(stream, k -> new StreamBuilder()).descriptor(d);
            } else if (rest.startsWith("e/") || rest.startsWith("p/")) {
                events.add(kv);
            }
        }
        if (start == null) {
            throw new IngestRejection(ReasonCode.ORPHAN_DOCUMENT, "run " + run + " has no start");
        }
        for (KeyValue<String, byte[]> kv : events) {
            String rest = kv.key.substring(prefix.length());
            String descriptor = rest.substring(2, rest.lastIndexOf('/'));
            StreamBuilder b = streams.get(streamOfDescriptor.get(descriptor));
            if (b == null) {
                continue;
            }
            BlueskyDocument doc = decode(kv.value);
            if (rest.startsWith("e/")) {
                b.event(doc.doc());
            } else {
                b.eventPage(doc.doc());
            }
        }
        Map<String, StreamData> built = new LinkedHashMap<>();
        streams.forEach((name, b) -> built.put(name, b.build()));
        return new RunData(start, stop, built, source);
    }

    private static BlueskyDocument decode(byte[] value) throws IngestRejection {
        try {
            return BlueskyDocument.decode(value);
        } catch (MsgpackException e) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, e.getMessage());
        }
    }
}
