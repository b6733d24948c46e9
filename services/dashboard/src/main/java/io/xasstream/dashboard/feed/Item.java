package io.xasstream.dashboard.feed;

/**
 * One immutable piece of an event: its sample key (null for global items such as the sample list), its kind and
 * its JSON, serialised once by the fan-out and shared by every browser that receives it.
 */
public record Item(String key, Kind kind, String json) {
    /** Rough heap cost, for the byte bounds of the ring and of the history. */
    public long bytes() {
        return 64L + json.length() + (key == null ? 0 : key.length());
    }
}
