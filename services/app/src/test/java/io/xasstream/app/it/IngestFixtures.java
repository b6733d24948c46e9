package io.xasstream.app.it;

import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.kafka.TopicSnapshot;
import io.xasstream.common.topics.Topic;
import io.xasstream.ingest.bluesky.SimulatedRun;
import java.util.List;

/** What the ingest command ITs share: runs rendered from the bundled demo series, and reading a topic back. */
final class IngestFixtures {
    private IngestFixtures() {
    }

    /** A BMM-shaped Bluesky run of one frame of a demo series (raw i0/itrans/irefer, its temperature). */
    static SimulatedRun run(String series, int frame, String uid) {
        SpectrumFile sf = DemoSeries.load(series).spectra().get(frame);
        var ch = sf.channels();
        return SimulatedRun.of(uid, sf.energy(), ch.get("i0"), ch.get("itrans")).reference(ch.get("irefer"))
                .absorber(sf.element().orElseThrow(), sf.edge().orElse("K")).sample(series)
                .dataSession("it-ingest").temperature(sf.conditions().get("temperature").value());
    }

    /** Every committed record of a registry topic now (up to its end offsets), decoded. */
    static <V> List<V> readCommitted(XasConfig config, Topic<String, V> topic) {
        return TopicSnapshot.readAll(new KafkaClients(config), "it-read", topic);
    }
}
