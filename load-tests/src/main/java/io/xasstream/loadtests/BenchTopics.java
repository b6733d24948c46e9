package io.xasstream.loadtests;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topic;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;

/** Topics of the load tools only (never of the services): what the Python peer and the Kafka floor write. */
public final class BenchTopics {
    /** JSON results of the Python peer (load-tests/peer), one per spectrum. */
    public final Topic<String, byte[]> peerResults;
    /** What the Kafka floor re-produces: one result-sized record per spectrum consumed. */
    public final Topic<String, byte[]> floor;

    public BenchTopics(XasConfig config) {
        Map<String, String> retention = Map.of("retention.ms",
                String.valueOf(config.get(XasConfig.RESULTS_RETENTION_MS)));
        peerResults = new Topic<>("xas.bench.peer-results", Serdes.String(), Serdes.ByteArray(), retention,
                "JSON results of the Python peer (load tests)");
        floor = new Topic<>("xas.bench.floor", Serdes.String(), Serdes.ByteArray(), retention,
                "records re-produced by the Kafka floor (load tests)");
    }

    public List<Topic<?, ?>> all() {
        return List.of(peerResults, floor);
    }
}
