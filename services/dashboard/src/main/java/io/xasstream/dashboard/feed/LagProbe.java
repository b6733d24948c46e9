package io.xasstream.dashboard.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference consumer group's lag (records of the spectra topic not yet answered), asked of the cluster with the
 * Admin client every few seconds on its own thread, so that a read-only dashboard anywhere sees it. The newest
 * answer is an immutable value in a one-slot hand-off; the group may be unknown or not visible to this principal.
 */
public final class LagProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LagProbe.class);
    static final long PERIOD_MS = 5_000;

    /** Lag of a group over the partitions it has committed; {@code error} when it could not be asked. */
    public record Lag(String group, long records, long atMs, String error) {
    }

    private final Supplier<Admin> adminFactory;
    private final String group;
    private final AtomicReference<Lag> latest = new AtomicReference<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "xas-dashboard-lag");
        t.setDaemon(true);
        return t;
    });
    private Admin admin;
    private boolean warned;

    public LagProbe(Supplier<Admin> adminFactory, String group) {
        this.adminFactory = adminFactory;
        this.group = group;
    }

    public LagProbe start() {
        thread.scheduleWithFixedDelay(this::probe, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    /** The newest answer, or null before the first. */
    public Lag latest() {
        return latest.get();
    }

    private void probe() {
        try {
            if (admin == null) {
                admin = adminFactory.get();
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
            committed.keySet().forEach(tp -> ask.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(ask, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : committed.entrySet()) {
                if (e.getValue() != null && ends.containsKey(e.getKey())) {
                    lag += Math.max(0, ends.get(e.getKey()).offset() - e.getValue().offset());
                }
            }
            latest.set(new Lag(group, lag, System.currentTimeMillis(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!warned) {
                LOG.warn("dashboard cannot read the lag of consumer group {}: {}", group, e.toString());
                warned = true;
            }
            latest.set(new Lag(group, -1, System.currentTimeMillis(), String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
