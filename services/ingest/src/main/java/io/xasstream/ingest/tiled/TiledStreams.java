package io.xasstream.ingest.tiled;

import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.StreamBuilder;
import io.xasstream.ingest.mapping.StreamData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A Tiled event table (columns, with seq_num and time when present) → the same {@link StreamData} as Kafka gives. */
final class TiledStreams {
    private TiledStreams() {
    }

    /** @param metadata the stream node's metadata: its data_keys give the units */
    static StreamData stream(Map<String, List<Object>> table, Map<String, Object> metadata) throws IngestRejection {
        StreamBuilder b = new StreamBuilder();
        b.descriptor(metadata);
        Map<String, Object> data = new LinkedHashMap<>();
        List<Object> seq = table.get("seq_num");
        List<Object> time = table.get("time");
        int rows = table.values().stream().mapToInt(List::size).max().orElse(0);
        table.forEach((k, v) -> {
            if (!k.equals("seq_num") && !k.equals("time")) {
                data.put(k, v);
            }
        });
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("data", data);
        page.put("seq_num", seq != null ? seq : IntStream.rangeClosed(1, rows).boxed()
                .map(Object.class::cast).toList());
        if (time != null) {
            page.put("time", time);
        }
        b.eventPage(page);
        return b.build();
    }
}
