package io.xasstream.dashboard.feed;

import io.xasstream.dashboard.json.RecordItems;
import io.xasstream.dashboard.json.SpectrumItems;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the records of one tick into items: decodes results, states and alerts into the {@link FeedState} and the
 * pending tick; counts dead letters; for spectra keeps only the bytes of the latest record per sample and decodes
 * and normalises that one when the tick closes. Owned by the fan-out thread.
 */
final class TickBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(TickBuilder.class);

    /** The topics read and how their values decode. */
    record Decoders(String results, Deserializer<InferenceResult> result, String states,
                    Deserializer<OperandoState> state, String alerts, Deserializer<Alert> alert, String rejected,
                    String spectra, Deserializer<?> spectrum) {
    }

    private final Decoders decoders;
    private final FeedState feed;
    private final List<Item> pending = new ArrayList<>();
    private final Map<String, Item> states = new LinkedHashMap<>();
    private final Map<String, byte[]> latestSpectrum = new LinkedHashMap<>();
    final Rate results = new Rate();
    final Rate rejected = new Rate();
    long resultsSeen;
    long thinned;
    long undecodable;
    private boolean samplesChanged;

    TickBuilder(Decoders decoders, FeedState feed) {
        this.decoders = decoders;
        this.feed = feed;
    }

    void apply(ConsumerRecord<byte[], byte[]> rec, long nowMs) {
        String topic = rec.topic();
        if (rec.value() == null) {
            return; // a tombstone on a compacted topic
        }
        try {
            if (topic.equals(decoders.results())) {
                result(decoders.result().deserialize(topic, rec.value()), nowMs);
            } else if (topic.equals(decoders.states())) {
                state(decoders.state().deserialize(topic, rec.value()));
            } else if (topic.equals(decoders.alerts())) {
                alert(decoders.alert().deserialize(topic, rec.value()));
            } else if (topic.equals(decoders.rejected())) {
                rejected.add(1, nowMs);
            } else if (topic.equals(decoders.spectra()) && rec.key() != null) {
                // the record key is experiment/sample: no decoding until the tick closes, and only the latest
                latestSpectrum.put(new String(rec.key(), StandardCharsets.UTF_8), rec.value());
            }
        } catch (RuntimeException e) {
            undecodable++;
            LOG.debug("dashboard skips an undecodable record of {} at offset {}: {}", topic, rec.offset(), e.toString());
        }
    }

    private void result(InferenceResult r, long nowMs) {
        Item item = RecordItems.result(r);
        long acquiredMs = RecordItems.millis(r.getTimings().getAcquiredAt());
        SampleTrack track = feed.track(item.key(), r.getSource().getExperimentId(), r.getSource().getSampleId());
        track.result(item, r.getElement(), acquiredMs);
        results.add(1, nowMs);
        resultsSeen++;
        samplesChanged = true;
        if (track.push(acquiredMs, FeedLimits.PUSH_SPACING_MS)) {
            pending.add(item);
        } else {
            thinned++;
        }
    }

    private void state(OperandoState s) {
        Item item = RecordItems.state(s);
        feed.track(item.key(), s.getExperimentId(), s.getSampleId()).state(item, s.getSpectraSeen(),
                s.getAlertCount());
        states.put(item.key(), item);
        samplesChanged = true;
    }

    private void alert(Alert a) {
        Item item = RecordItems.alert(a);
        feed.track(item.key(), a.getExperimentId(), a.getSampleId()).alert(item);
        pending.add(item);
        samplesChanged = true;
    }

    /** The items of the closing tick (possibly none), and a fresh start for the next one. */
    List<Item> close(long nowMs) {
        List<Item> items = new ArrayList<>(pending.size() + states.size() + latestSpectrum.size() + 1);
        items.addAll(pending);
        items.addAll(states.values());
        latestSpectrum.forEach((key, bytes) -> {
            SampleTrack track = feed.peek(key);
            if (track == null) {
                return; // a sample without results (yet): nothing to draw it beside
            }
            try {
                Item item = SpectrumItems.of(decoders.spectrum().deserialize(decoders.spectra(), bytes));
                track.spectrum(item, nowMs);
                items.add(item);
            } catch (Exception e) {
                undecodable++;
                LOG.debug("dashboard cannot draw the latest spectrum of {}: {}", key, e.toString());
            }
        });
        if (samplesChanged) {
            items.add(feed.samplesItem());
        }
        pending.clear();
        states.clear();
        latestSpectrum.clear();
        samplesChanged = false;
        return items;
    }
}
