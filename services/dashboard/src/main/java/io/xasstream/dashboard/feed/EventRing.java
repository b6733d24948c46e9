package io.xasstream.dashboard.feed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The recent ticks, bounded by their total size, from which a reconnecting browser resumes after its
 * Last-Event-ID. Owned by the fan-out thread (not thread-safe); ids are consecutive.
 */
public final class EventRing {
    private final long maxBytes;
    private final ArrayDeque<Frame> ticks = new ArrayDeque<>();
    private long bytes;

    public EventRing(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Appends the next tick (its id must follow the last one) and forgets the oldest beyond the byte bound. */
    public void add(Frame tick) {
        if (!ticks.isEmpty() && tick.id() != ticks.peekLast().id() + 1) {
            throw new IllegalArgumentException("tick " + tick.id() + " does not follow " + ticks.peekLast().id());
        }
        ticks.addLast(tick);
        bytes += tick.bytes();
        while (bytes > maxBytes && ticks.size() > 1) {
            bytes -= ticks.removeFirst().bytes();
        }
    }

    /**
     * The ticks after {@code lastId}, or null when they cannot all be given (the id is older than the ring or not
     * one of this process): the browser then needs a snapshot.
     */
    public List<Frame> after(long lastId) {
        if (ticks.isEmpty()) {
            return null;
        }
        long oldest = ticks.peekFirst().id();
        long newest = ticks.peekLast().id();
        if (lastId < oldest - 1 || lastId > newest) {
            return null;
        }
        List<Frame> out = new ArrayList<>((int) (newest - lastId));
        Iterator<Frame> it = ticks.descendingIterator();
        while (it.hasNext()) {
            Frame f = it.next();
            if (f.id() <= lastId) {
                break;
            }
            out.add(f);
        }
        Collections.reverse(out);
        return out;
    }

    public long bytes() {
        return bytes;
    }

    public int size() {
        return ticks.size();
    }
}
