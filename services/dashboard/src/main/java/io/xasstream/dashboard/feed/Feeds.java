package io.xasstream.dashboard.feed;

import io.micrometer.core.instrument.MeterRegistry;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Wires a {@link FanOut} to the topic registry: which topics, how far back, how they decode. */
public final class Feeds {
    /** Spectra read back per partition at start: enough for the latest of each sample. */
    static final long SPECTRA_BACK = 8;

    private Feeds() {
    }

    public static FanOut fanOut(KafkaClients clients, Topics topics, FeedLimits limits, LagProbe lag,
                                MeterRegistry meters, Clock clock) {
        List<StartPositions.Source> sources = new ArrayList<>(List.of(
                new StartPositions.Source(topics.results.name(), limits.historyPoints()),
                new StartPositions.Source(topics.operandoState.name(), limits.samples()),
                new StartPositions.Source(topics.alerts.name(), limits.historyPoints()),
                new StartPositions.Source(topics.rejected.name(), 0)));
        if (limits.spectra()) {
            sources.add(new StartPositions.Source(topics.spectra.name(), SPECTRA_BACK));
        }
        TickBuilder.Decoders decoders = new TickBuilder.Decoders(topics.results.name(),
                topics.results.valueSerde().deserializer(), topics.operandoState.name(),
                topics.operandoState.valueSerde().deserializer(), topics.alerts.name(),
                topics.alerts.valueSerde().deserializer(), topics.rejected.name(),
                limits.spectra() ? topics.spectra.name() : null, topics.spectra.valueSerde().deserializer());
        Properties props = clients.consumer("dashboard", null);
        // the dashboard only looks: no offsets to commit, and at most a few MB per poll
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1000");
        return new FanOut(() -> new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()),
                sources, decoders, limits, lag, new LocalMeters(meters), clock);
    }
}
