package io.xasstream.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.monitor.state.MonitorStores;
import io.xasstream.monitor.state.SampleStateCodec;
import io.xasstream.monitor.stream.MonitorTopology;
import io.xasstream.schema.monitor.StoredSampleState;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor started on the changelog of the release before the Avro state: restoring a changelog copies its values
 * into the store byte for byte, so the samples store then holds the old binary format. The monitor reads it, goes on
 * exactly as the monitor that wrote it would have, and writes the sample back in Avro.
 */
class SampleStateMigrationTest {
    private static final Topics TOPICS = new Topics(XasConfig.defaults());
    private static final int CHANGE = 60;

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** One monitor: its driver, input and outputs. */
    private record Monitor(TopologyTestDriver driver, TestInputTopic<String, InferenceResult> results,
                           TestOutputTopic<String, Alert> alerts, TestOutputTopic<String, OperandoState> states) {
        static Monitor start(Path dir) {
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
            TopologyTestDriver d = new TopologyTestDriver(MonitorTopology.build(MonitorConfig.defaults(), TOPICS), p);
            return new Monitor(d, d.createInputTopic(TOPICS.results.name(), TOPICS.results.keySerde().serializer(),
                    TOPICS.results.valueSerde().serializer()),
                    d.createOutputTopic(TOPICS.alerts.name(), TOPICS.alerts.keySerde().deserializer(),
                            TOPICS.alerts.valueSerde().deserializer()),
                    d.createOutputTopic(TOPICS.operandoState.name(), TOPICS.operandoState.keySerde().deserializer(),
                            TOPICS.operandoState.valueSerde().deserializer()));
        }

        <V> KeyValueStore<String, V> store(String name) {
            return driver.getKeyValueStore(name);
        }
    }

    private static InferenceResult result(SyntheticResults cu, int i) {
        boolean reduced = i >= CHANGE;
        return cu.result(i, 0, reduced ? 1 : 0, reduced ? 0 : 1, SyntheticResults.temperature(25 + 0.5 * i));
    }

    @Test
    void aSampleStoredInTheOldFormatIsReadAndTheMonitorGoesOnAsBefore() {
        SyntheticResults cu = new SyntheticResults("exp-9", "cuo-2", 20261126);
        Monitor old = Monitor.start(dirA);
        Monitor migrated = Monitor.start(dirB);
        try {
            // Given a monitor half-way through a reduction (detectors warmed up, armed, mid-run)
            for (int i = 0; i < 56; i++) {
                old.results().pipeInput(cu.key(), result(cu, i));
            }
            String key = cu.key();
            KeyValueStore<String, byte[]> samples = old.store(MonitorStores.SAMPLES);
            StoredSampleState state = SampleStateCodec.stored(samples.get(key));
            byte[] legacy = LegacyStateWriter.write(state);
            assertThat(SampleStateCodec.stored(legacy)).as("the old format reads back whole").isEqualTo(state);

            // When a new monitor restores a changelog written in the old format (history and alerts unchanged)
            migrated.<byte[]>store(MonitorStores.SAMPLES).put(key, legacy);
            copy(old.store(MonitorStores.HISTORY), migrated.store(MonitorStores.HISTORY));
            copy(old.store(MonitorStores.ALERTS), migrated.store(MonitorStores.ALERTS));
            old.states().readValuesToList();
            old.alerts().readValuesToList();
            for (int i = 56; i < 160; i++) {
                InferenceResult r = result(cu, i); // once: the synthetic noise must be the same for both
                old.results().pipeInput(key, r);
                migrated.results().pipeInput(key, r);
            }

            // Then both detect the same change and report the same state, and the sample is stored in Avro again
            List<Alert> expectedAlerts = old.alerts().readValuesToList();
            List<Alert> alerts = migrated.alerts().readValuesToList();
            assertThat(expectedAlerts).isNotEmpty();
            assertThat(alerts).extracting(Alert::getAlertId, Alert::getQuantity, Alert::getAtSpectrumId)
                    .containsExactlyElementsOf(expectedAlerts.stream().map(a -> tuple(
                            a.getAlertId(), a.getQuantity(), a.getAtSpectrumId())).toList());
            List<OperandoState> expected = old.states().readValuesToList();
            List<OperandoState> states = migrated.states().readValuesToList();
            assertThat(states).hasSameSizeAs(expected);
            for (int i = 0; i < states.size(); i++) {
                assertThat(withoutClock(states.get(i))).isEqualTo(withoutClock(expected.get(i)));
            }
            assertThat(states.get(states.size() - 1).getSpectraSeen()).isEqualTo(160);
            byte[] rewritten = migrated.<byte[]>store(MonitorStores.SAMPLES).get(key);
            assertThat(rewritten[0]).as("single-object marker").isEqualTo((byte) 0xC3);
        } finally {
            old.driver().close();
            migrated.driver().close();
        }
    }

    private static <V> void copy(KeyValueStore<String, V> from, KeyValueStore<String, V> to) {
        try (KeyValueIterator<String, V> it = from.all()) {
            while (it.hasNext()) {
                KeyValue<String, V> e = it.next();
                to.put(e.key, e.value);
            }
        }
    }

    /** The state without its wall-clock update time, which differs between two runs. */
    private static OperandoState withoutClock(OperandoState s) {
        return OperandoState.newBuilder(s).setUpdatedAt(s.getLatest() == null ? s.getUpdatedAt()
                : s.getLatest().getAcquiredAt()).build();
    }
}
