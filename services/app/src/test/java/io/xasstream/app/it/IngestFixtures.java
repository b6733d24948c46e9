package io.xasstream.app.it;

import io.xasstream.app.demo.DemoSeries;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topic;
import io.xasstream.ingest.bluesky.SimulatedRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
        var props = new KafkaClients(config).consumer("it-read", null);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<V> out = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline
                    && parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(topic.valueSerde().deserializer()
                        .deserialize(r.topic(), r.value())));
            }
            return out;
        }
    }
}
