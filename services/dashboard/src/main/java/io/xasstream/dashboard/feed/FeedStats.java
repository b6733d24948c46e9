package io.xasstream.dashboard.feed;

/**
 * A picture of the fan-out's bounded structures, published after every tick (immutable).
 *
 * @param lastTickId     id of the newest tick
 * @param resultsSeen    result records read since start
 * @param ringBytes      bytes held by the resume ring
 * @param ringTicks      ticks held by the resume ring
 * @param samples        samples followed
 * @param heldResults    results held over all samples
 * @param subscribers    browsers connected
 * @param maxQueueDepth  the deepest browser queue at this tick
 * @param dropped        browsers dropped for falling behind, since start
 * @param thinned        results kept in the history but left out of the live push (too many of one sample per tick)
 */
public record FeedStats(long lastTickId, long resultsSeen, long ringBytes, int ringTicks, int samples,
                        long heldResults, int subscribers, int maxQueueDepth, long dropped, long thinned) {
    public static final FeedStats EMPTY = new FeedStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
