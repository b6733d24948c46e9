package io.xasstream.dashboard.feed;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader of the topics per process: a thread that owns the Kafka consumer (assigned, no group), the
 * {@link FeedState}, the resume {@link EventRing} and the list of browsers. Every tick it closes a frame of new
 * items, keeps it in the ring and offers it to every browser's bounded queue; a browser whose queue is full is
 * dropped. Browsers come and go through a bounded command queue, handled right after a tick, so a snapshot holds
 * exactly what the ticks before it held: no gap and no duplicate between snapshot and live ticks.
 */
public final class FanOut implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(FanOut.class);
    static final long STATS_MS = 1_000;
    static final long ASSIGN_RETRY_MS = 5_000;

    private sealed interface Command permits Subscribe, Unsubscribe {
    }

    private record Subscribe(Subscriber subscriber, Long lastEventId) implements Command {
    }

    private record Unsubscribe(Subscriber subscriber) implements Command {
    }

    private final Supplier<Consumer<byte[], byte[]>> consumerFactory;
    private final StartPositions positions;
    private final FeedLimits limits;
    private final FeedState feed;
    private final TickBuilder ticks;
    private final EventRing ring;
    private final LagProbe lag;
    private final LocalMeters local;
    private final Clock clock;
    private final BlockingQueue<Command> commands = new ArrayBlockingQueue<>(1_024);
    private final List<Subscriber> subscribers = new ArrayList<>();
    private final AtomicReference<FeedStats> stats = new AtomicReference<>(FeedStats.EMPTY);
    private final AtomicReference<Consumer<byte[], byte[]>> running = new AtomicReference<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Ids continue from the start time in ms, so ids of an earlier process never look like ours. */
    private long lastId;
    private long dropped;

    FanOut(Supplier<Consumer<byte[], byte[]>> consumerFactory, List<StartPositions.Source> sources,
           TickBuilder.Decoders decoders, FeedLimits limits, LagProbe lag, LocalMeters local, Clock clock) {
        this.consumerFactory = consumerFactory;
        this.positions = new StartPositions(sources);
        this.limits = limits;
        this.feed = new FeedState(limits.samples(), limits.historyPoints());
        this.ticks = new TickBuilder(decoders, feed);
        this.ring = new EventRing(limits.ringBytes());
        this.lag = lag;
        this.local = local;
        this.clock = clock;
        this.lastId = clock.millis();
    }

    /** Asks for a browser to be added after the next tick; false when the service is too busy to take it. */
    public boolean subscribe(Subscriber s, Long lastEventId) {
        return !stopping.get() && commands.offer(new Subscribe(s, lastEventId));
    }

    /** A browser went away. (Should the queue be full, its frames pile up until the fan-out drops it anyway.) */
    public void unsubscribe(Subscriber s) {
        commands.offer(new Unsubscribe(s));
    }

    public FeedStats stats() {
        return stats.get();
    }

    /** Ends the loop: wakes the consumer out of its poll. */
    public void stop() {
        stopping.set(true);
        Consumer<byte[], byte[]> c = running.get();
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        try (Consumer<byte[], byte[]> consumer = consumerFactory.get()) {
            running.set(consumer);
            long now = clock.millis();
            long nextTick = now + limits.tickMs();
            long nextStats = now;
            long nextAssign = now;
            while (!stopping.get()) {
                if (now >= nextAssign && !positions.complete()) {
                    nextAssign = now + ASSIGN_RETRY_MS;
                    assign(consumer);
                }
                if (!consumer.assignment().isEmpty()) {
                    poll(consumer);
                } else {
                    Thread.sleep(limits.tickMs());
                }
                now = clock.millis();
                if (now >= nextTick) {
                    boolean withStats = now >= nextStats;
                    closeTick(now, withStats);
                    nextStats = withStats ? now + STATS_MS : nextStats;
                    nextTick = now + limits.tickMs();
                    handleCommands(now);
                }
            }
        } catch (WakeupException e) {
            // stop() woke the poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("dashboard fan-out stopped", e);
        } finally {
            subscribers.forEach(Subscriber::dropped);
            subscribers.clear();
        }
    }

    private void assign(Consumer<byte[], byte[]> consumer) {
        try {
            positions.update(consumer);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // the cluster is not reachable yet, or a topic not readable: the dashboard waits, it does not stop
            LOG.warn("dashboard cannot assign its topics yet: {}", e.toString());
        }
    }

    private void poll(Consumer<byte[], byte[]> consumer) throws InterruptedException {
        try {
            for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(limits.tickMs() / 2))) {
                ticks.apply(rec, clock.millis());
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("dashboard poll failed, retrying: {}", e.toString());
            Thread.sleep(ASSIGN_RETRY_MS);
        }
    }

    private void closeTick(long now, boolean withStats) {
        List<Item> items = ticks.close(now);
        if (withStats) {
            items.add(statsItem(now));
        }
        if (!items.isEmpty()) {
            Frame tick = new Frame(++lastId, false, items);
            ring.add(tick);
            subscribers.removeIf(s -> {
                if (s.offer(tick)) {
                    return false;
                }
                dropped++;
                s.dropped();
                return true;
            });
        }
        publishStats();
    }

    private void handleCommands(long now) {
        Command c;
        while ((c = commands.poll()) != null) {
            if (c instanceof Unsubscribe u) {
                subscribers.remove(u.subscriber());
            } else if (c instanceof Subscribe s) {
                add(s.subscriber(), s.lastEventId(), now);
            }
        }
        publishStats();
    }

    private void add(Subscriber s, Long lastEventId, long now) {
        List<Frame> resume = lastEventId == null ? null : ring.after(lastEventId);
        if (resume != null && resume.size() < s.capacity()) {
            resume.forEach(s::offer);
        } else {
            List<Item> snapshot = feed.snapshot(s.filter());
            snapshot.add(statsItem(now));
            s.offer(new Frame(lastId, true, snapshot));
        }
        subscribers.add(s);
    }

    private Item statsItem(long now) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("t", now).put("resultsPerSecond", ticks.results.perSecond(now))
                .put("deadLettersPerSecond", ticks.rejected.perSecond(now)).put("resultsSeen", ticks.resultsSeen)
                .put("thinned", ticks.thinned).put("undecodable", ticks.undecodable)
                .put("browsers", subscribers.size()).put("browsersDropped", dropped);
        LagProbe.Lag l = lag == null ? null : lag.latest();
        if (l != null) {
            ObjectNode lagNode = o.putObject("lag").put("group", l.group()).put("records", l.records());
            if (l.error() != null) {
                lagNode.put("error", l.error());
            }
        }
        local.addTo(o);
        return new Item(null, Kind.STATS, o.toString());
    }

    private void publishStats() {
        int depth = 0;
        for (Subscriber s : subscribers) {
            depth = Math.max(depth, s.depth());
        }
        stats.set(new FeedStats(lastId, ticks.resultsSeen, ring.bytes(), ring.size(), feed.samples(),
                feed.heldResults(), subscribers.size(), depth, dropped, ticks.thinned));
    }
}
