package io.xasstream.dashboard.feed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One browser's end of the fan-out: its filter and a bounded queue of immutable frames. The fan-out thread offers,
 * the browser's event loop drains; a full queue means the browser fell behind and the fan-out drops it, calling
 * {@code onDrop} (which must only hand the close over to the browser's own thread).
 */
public final class Subscriber {
    private final Filter filter;
    private final ArrayBlockingQueue<Frame> queue;
    private final Runnable onDrop;

    public Subscriber(Filter filter, int capacity, Runnable onDrop) {
        this.filter = filter;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.onDrop = onDrop;
    }

    public Filter filter() {
        return filter;
    }

    /** Called by the fan-out thread; false when the queue is full. */
    boolean offer(Frame frame) {
        return queue.offer(frame);
    }

    void dropped() {
        onDrop.run();
    }

    int capacity() {
        return queue.size() + queue.remainingCapacity();
    }

    /** Frames waiting now. */
    public int depth() {
        return queue.size();
    }

    /** Everything waiting, oldest first (called by the browser's thread). */
    public List<Frame> drain() {
        List<Frame> out = new ArrayList<>(queue.size());
        queue.drainTo(out);
        return out;
    }
}
