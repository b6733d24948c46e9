package io.xasstream.ingest.bluesky;

import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.mapping.RunMapper;
import io.xasstream.ingest.profile.Profile;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The Bluesky adapter as a pure topology builder (used by {@link BlueskyIngest} and the TopologyTestDriver tests):
 * <pre>
 *  topics matching the pattern (byte[] msgpack [name, doc]) ─► bluesky (store bluesky-runs, changelogged)
 *                                                              ├─► topics.spectra   one Spectrum per successful run
 *                                                              └─► topics.rejected  dead letters with reason codes
 *                                                                  (also runs expired by stream-time punctuation)
 * </pre>
 */
public final class BlueskyTopology {
    public static final String SOURCE = "bluesky-documents";
    public static final String PROCESSOR = "bluesky";
    public static final String STORE = "bluesky-runs";
    public static final String SPECTRA_SINK = "spectra";
    public static final String REJECTED_SINK = "rejected";

    private BlueskyTopology() {
    }

    /**
     * @param documents the Bluesky topics, e.g. {@code .*\.bluesky\.runengine\.documents}
     * @param liveEvery publish the partial scan every this many points; 0 for none
     * @param limits    when an open run that never stops is expired
     */
    public static Topology build(Pattern documents, Topics topics, Profile profile, IngestMetrics metrics,
                                 int liveEvery, RunLimits limits) {
        RunMapper mapper = new RunMapper(profile);
        Topology t = new Topology();
        t.addSource(AutoOffsetReset.earliest(), SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                documents);
        t.addProcessor(PROCESSOR, () -> new BlueskyProcessor(mapper, metrics, liveEvery, limits), SOURCE);
        t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.ByteArray()), PROCESSOR);
        t.addSink(SPECTRA_SINK, topics.spectra.name(), topics.spectra.keySerde().serializer(),
                topics.spectra.valueSerde().serializer(), PROCESSOR);
        t.addSink(REJECTED_SINK, topics.rejected.name(), topics.rejected.keySerde().serializer(),
                topics.rejected.valueSerde().serializer(), PROCESSOR);
        return t;
    }
}
