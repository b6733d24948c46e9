package io.xasstream.monitor.stream;

import io.xasstream.common.serde.AvroSerde;
import io.xasstream.common.serde.SingleObjectCodec;
import io.xasstream.common.topics.Topics;
import io.xasstream.monitor.MonitorConfig;
import io.xasstream.monitor.state.MonitorStores;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.SampleSnapshot;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The operando monitor as a Kafka Streams topology: results → one stateful processor per sample key → alerts and
 * OperandoState. Used as is by {@code MonitorService} and by the TopologyTestDriver tests.
 *
 * <pre>
 *  topics.results ─► monitor (stores: monitor-samples, monitor-history, monitor-alerts; all changelogged)
 *                       ├─► topics.alerts          (on a detected change, with the triggering result)
 *                       └─► topics.operandoState   (every result)
 * </pre>
 */
public final class MonitorTopology {
    public static final String SOURCE = "results";
    public static final String PROCESSOR = "monitor";
    public static final String ALERTS_SINK = "alerts";
    public static final String STATE_SINK = "operando-state";

    private MonitorTopology() {
    }

    public static Topology build(MonitorConfig config, Topics topics) {
        Topology t = new Topology();
        t.addSource(SOURCE, topics.results.keySerde().deserializer(), topics.results.valueSerde().deserializer(),
                topics.results.name());
        t.addProcessor(PROCESSOR, () -> new MonitorProcessor(config, ALERTS_SINK, STATE_SINK), SOURCE);
        // Store values are framed single-object Avro whatever serde.format says: no registry for internal data.
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MonitorStores.SAMPLES),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MonitorStores.HISTORY),
                Serdes.String(), new AvroSerde<>(SingleObjectCodec.of(SampleSnapshot.class))), PROCESSOR);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MonitorStores.ALERTS),
                Serdes.String(), new AvroSerde<>(SingleObjectCodec.of(Alert.class))), PROCESSOR);
        t.addSink(ALERTS_SINK, topics.alerts.name(), topics.alerts.keySerde().serializer(),
                topics.alerts.valueSerde().serializer(), PROCESSOR);
        t.addSink(STATE_SINK, topics.operandoState.name(), topics.operandoState.keySerde().serializer(),
                topics.operandoState.valueSerde().serializer(), PROCESSOR);
        return t;
    }
}
