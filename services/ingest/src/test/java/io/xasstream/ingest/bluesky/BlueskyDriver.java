package io.xasstream.ingest.bluesky;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.profile.ProfileLoader;
import io.xasstream.schema.dlq.RejectedSpectrum;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link BlueskyTopology} with the default profile on a TopologyTestDriver: its input, outputs, store and meters. */
final class BlueskyDriver implements AutoCloseable {
    static final String TOPIC = "bmm.bluesky.runengine.documents";

    final Topics topics = new Topics(XasConfig.defaults());
    final IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry(), "bluesky");
    final TestInputTopic<byte[], byte[]> in;
    final TestOutputTopic<String, SpecificRecord> spectra;
    final TestOutputTopic<String, RejectedSpectrum> rejected;
    private final TopologyTestDriver driver;

    BlueskyDriver(int liveEvery, RunLimits limits) throws IOException {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "bluesky-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("bluesky-ttd").toString());
        driver = new TopologyTestDriver(BlueskyTopology.build(Pattern.compile(".*\\.bluesky\\.runengine\\.documents"),
                topics, ProfileLoader.defaults(), metrics, liveEvery, limits), p);
        in = driver.createInputTopic(TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        spectra = driver.createOutputTopic(topics.spectra.name(), new StringDeserializer(),
                topics.spectra.valueSerde().deserializer());
        rejected = driver.createOutputTopic(topics.rejected.name(), new StringDeserializer(),
                topics.rejected.valueSerde().deserializer());
    }

    /** The default limits (a day, a thousand open runs): nothing expires in a short test. */
    static RunLimits defaultLimits() {
        return RunLimits.from(XasConfig.defaults());
    }

    KeyValueStore<String, byte[]> store() {
        return driver.getKeyValueStore(BlueskyTopology.STORE);
    }

    @Override
    public void close() {
        driver.close();
    }
}
