package io.xasstream.monitor.query;

import io.xasstream.monitor.MonitorConfig;
import io.xasstream.monitor.state.MonitorStores;
import io.xasstream.monitor.state.SampleState;
import io.xasstream.monitor.state.SampleStateCodec;
import io.xasstream.monitor.stream.Snapshots;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.operando.SampleSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads of the monitor's state stores (blocking: call them off the event loop). The stores come from a running
 * KafkaStreams (local partitions of this instance) or from a TopologyTestDriver.
 */
public final class MonitorQueries {
    /** Gives a store by name; it may throw while the stores are not queryable (rebalancing, restoring). */
    @FunctionalInterface
    public interface StoreProvider {
        <V> ReadOnlyKeyValueStore<String, V> store(String name);
    }

    private final StoreProvider stores;
    private final MonitorConfig config;

    public MonitorQueries(StoreProvider stores, MonitorConfig config) {
        this.stores = stores;
        this.config = config;
    }

    /** Current state of every sample, ordered by key. */
    public List<OperandoState> samples() {
        ReadOnlyKeyValueStore<String, byte[]> samples = stores.store(MonitorStores.SAMPLES);
        List<OperandoState> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = samples.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> e = it.next();
                out.add(toState(SampleStateCodec.decode(e.value, config)));
            }
        }
        return out;
    }

    /** Current state of one sample (key experimentId/sampleId). */
    public Optional<OperandoState> state(String key) {
        ReadOnlyKeyValueStore<String, byte[]> samples = stores.store(MonitorStores.SAMPLES);
        byte[] bytes = samples.get(key);
        return bytes == null ? Optional.empty() : Optional.of(toState(SampleStateCodec.decode(bytes, config)));
    }

    /** The sample's latest {@code limit} points, oldest first (empty when the sample is unknown). */
    public List<SampleSnapshot> timeSeries(String key, int limit) {
        ReadOnlyKeyValueStore<String, byte[]> samples = stores.store(MonitorStores.SAMPLES);
        byte[] bytes = samples.get(key);
        if (bytes == null || limit <= 0) {
            return List.of();
        }
        long seen = SampleStateCodec.decode(bytes, config).spectraSeen();
        long from = Math.max(0, Math.max(seen - config.historySize(), seen - limit));
        return range(stores.store(MonitorStores.HISTORY), key, from, seen - 1);
    }

    /** The sample's alerts (the latest {@code limit}), oldest first. */
    public List<Alert> alerts(String key, int limit) {
        ReadOnlyKeyValueStore<String, byte[]> samples = stores.store(MonitorStores.SAMPLES);
        byte[] bytes = samples.get(key);
        if (bytes == null || limit <= 0) {
            return List.of();
        }
        long count = SampleStateCodec.decode(bytes, config).alertCount();
        return range(stores.store(MonitorStores.ALERTS), key, Math.max(1, count - limit + 1), count);
    }

    private static <V> List<V> range(ReadOnlyKeyValueStore<String, V> store, String key, long from, long to) {
        List<V> out = new ArrayList<>();
        if (to < from) {
            return out;
        }
        try (KeyValueIterator<String, V> it = store.range(MonitorStores.entryKey(key, from),
                MonitorStores.entryKey(key, to))) {
            while (it.hasNext()) {
                KeyValue<String, V> e = it.next();
                if (MonitorStores.belongsTo(e.key, key)) {
                    out.add(e.value);
                }
            }
        }
        return out;
    }

    private OperandoState toState(SampleState s) {
        SampleSnapshot latest = s.spectraSeen() == 0 ? null
                : this.<SampleSnapshot>history().get(MonitorStores.entryKey(s.key(), s.spectraSeen() - 1));
        return Snapshots.operandoState(s, latest, config.windowCount(), config.windowMs());
    }

    private <V> ReadOnlyKeyValueStore<String, V> history() {
        return stores.store(MonitorStores.HISTORY);
    }
}
