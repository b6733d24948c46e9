package io.xasstream.ingest.mapping;

import java.util.Map;

/**
 * A whole Bluesky run as the adapters collect it, from Kafka documents or from a Tiled archive.
 *
 * @param start   the start document
 * @param stop    the stop document (exit_status, reason)
 * @param streams stream name (primary, baseline ...) → its columns
 * @param source  where it came from, for the spectrum's metadata (e.g. "bluesky:bmm.bluesky.runengine.documents")
 */
public record RunData(Map<String, Object> start, Map<String, Object> stop, Map<String, StreamData> streams,
                      String source) {

    public String uid() {
        return Paths.text(start.get("uid")).orElse("");
    }
}
