package io.xasstream.dashboard.feed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples the dashboard follows, each a bounded {@link SampleTrack}; at most {@code maxSamples}, the one updated
 * longest ago forgotten first. Owned by the fan-out thread (not thread-safe).
 */
public final class FeedState {
    /** Results per sample in a snapshot that is not narrowed to one sample (e.g. {@code curl /events}). */
    static final int OVERVIEW_RESULTS = 10;

    private final int maxResults;
    private final LinkedHashMap<String, SampleTrack> samples;

    public FeedState(int maxSamples, int maxResults) {
        this.maxResults = maxResults;
        this.samples = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SampleTrack> eldest) {
                return size() > maxSamples;
            }
        };
    }

    SampleTrack track(String key, String experiment, String sample) {
        return samples.computeIfAbsent(key, k -> new SampleTrack(k, experiment, sample, maxResults));
    }

    /** The track of a sample already followed, or null. */
    SampleTrack peek(String key) {
        return samples.get(key);
    }

    /** The picker's list: newest acquisition first, with live counts. */
    Item samplesItem() {
        List<SampleTrack> list = new ArrayList<>(samples.values());
        list.sort(Comparator.comparingLong((SampleTrack t) -> t.lastAcquiredMs).reversed()
                .thenComparing(t -> t.key));
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (SampleTrack t : list) {
            ObjectNode o = array.addObject();
            o.put("key", t.key).put("experimentId", t.experiment).put("sampleId", t.sample)
                    .put("element", t.element).put("results", t.results).put("spectraSeen", t.spectraSeen)
                    .put("alerts", t.alerts).put("lastAcquiredAt", t.lastAcquiredMs);
        }
        return new Item(null, Kind.SAMPLES, array.toString());
    }

    /** What a browser that connects with this filter needs before the live ticks. */
    List<Item> snapshot(Filter filter) {
        List<Item> out = new ArrayList<>();
        int perSample = filter.oneSample() ? maxResults : OVERVIEW_RESULTS;
        for (SampleTrack t : samples.values()) {
            if (filter.matches(t.key)) {
                out.addAll(t.snapshot(perSample));
            }
        }
        out.add(samplesItem());
        return out;
    }

    public int samples() {
        return samples.size();
    }

    /** Results held over all samples (bounded by samples x history points). */
    public long heldResults() {
        long n = 0;
        for (SampleTrack t : samples.values()) {
            n += t.heldResults();
        }
        return n;
    }
}
