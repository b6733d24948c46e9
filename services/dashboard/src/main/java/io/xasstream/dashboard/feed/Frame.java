package io.xasstream.dashboard.feed;

import java.util.List;

/**
 * What the fan-out hands to a browser: a tick of new items (id increasing by one per tick), or a snapshot that
 * replaces what the browser shows ({@code reset}). Immutable; one tick object is shared by every browser.
 */
public record Frame(long id, boolean reset, List<Item> items) {
    public Frame {
        items = List.copyOf(items);
    }

    public long bytes() {
        long b = 64;
        for (Item i : items) {
            b += i.bytes();
        }
        return b;
    }
}
