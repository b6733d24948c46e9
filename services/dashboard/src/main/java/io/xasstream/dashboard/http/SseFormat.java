package io.xasstream.dashboard.http;

import io.xasstream.dashboard.feed.Filter;
import io.xasstream.dashboard.feed.Frame;
import io.xasstream.dashboard.feed.Item;
import io.xasstream.dashboard.feed.Kind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces the frames waiting for one browser into one Server-Sent Event:
 * <pre>
 * id: 1765432100123
 * event: batch
 * data: {"id":1765432100123,"reset":false,"results":[...],"alerts":[...],"spectra":[...],"states":[...],"samples":[...],"stats":{...}}
 * </pre>
 * {@code id} is the newest frame's, so a reconnect resumes after it; {@code reset} says the event starts from a
 * snapshot and replaces what the page shows. Only items that pass the browser's filter are written; of states,
 * the sample list and stats only the newest counts.
 */
public final class SseFormat {
    public static final String EVENT = "batch";

    private SseFormat() {
    }

    /** The event, or null when none of the frames holds anything for this filter and none is a snapshot. */
    public static String event(List<Frame> frames, Filter filter) {
        if (frames.isEmpty()) {
            return null;
        }
        int start = 0;
        boolean reset = false;
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (frames.get(i).reset()) {
                start = i;
                reset = true;
                break;
            }
        }
        Map<Kind, List<String>> lists = new EnumMap<>(Kind.class);
        Map<Kind, Map<String, String>> latest = new EnumMap<>(Kind.class);
        boolean any = false;
        for (Frame f : frames.subList(start, frames.size())) {
            for (Item item : f.items()) {
                if (!filter.matches(item.key())) {
                    continue;
                }
                any |= item.key() != null;
                if (item.kind().latestOnly()) {
                    latest.computeIfAbsent(item.kind(), k -> new LinkedHashMap<>())
                            .put(item.key() == null ? "" : item.key(), item.json());
                } else {
                    lists.computeIfAbsent(item.kind(), k -> new ArrayList<>()).add(item.json());
                }
            }
        }
        if (!any && !reset && !latest.containsKey(Kind.STATS) && !latest.containsKey(Kind.SAMPLES)) {
            return null;
        }
        long id = frames.get(frames.size() - 1).id();
        StringBuilder data = new StringBuilder(256).append("{\"id\":").append(id).append(",\"reset\":").append(reset);
        for (Kind kind : Kind.values()) {
            if (kind == Kind.STATS || kind == Kind.SAMPLES) {
                String json = latest.getOrDefault(kind, Map.of()).get("");
                if (json != null) {
                    data.append(",\"").append(kind.field()).append("\":").append(json);
                }
                continue;
            }
            List<String> values = kind.latestOnly() ? new ArrayList<>(latest.getOrDefault(kind, Map.of()).values())
                    : lists.getOrDefault(kind, List.of());
            data.append(",\"").append(kind.field()).append("\":[").append(String.join(",", values)).append(']');
        }
        data.append('}');
        return "id: " + id + "\nevent: " + EVENT + "\ndata: " + data + "\n\n";
    }
}
