package io.xasstream.dashboard.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.dashboard.feed.Filter;
import io.xasstream.dashboard.feed.Frame;
import io.xasstream.dashboard.feed.Item;
import io.xasstream.dashboard.feed.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode data(String event) throws Exception {
        String line = event.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
        return JSON.readTree(line.substring(6));
    }

    @Test
    void framesAreCoalescedIntoOneEventWithTheNewestId() throws Exception {
        List<Frame> frames = List.of(
                new Frame(7, false, List.of(new Item("e/a", Kind.RESULT, "{\"n\":1}"),
                        new Item("e/a", Kind.STATE, "{\"s\":1}"))),
                new Frame(8, false, List.of(new Item("e/a", Kind.RESULT, "{\"n\":2}"),
                        new Item("e/a", Kind.STATE, "{\"s\":2}"), new Item(null, Kind.STATS, "{\"x\":1}"))));
        String event = SseFormat.event(frames, Filter.ALL);
        assertThat(event).startsWith("id: 8\nevent: batch\ndata: {").endsWith("}\n\n");
        JsonNode d = data(event);
        assertThat(d.get("reset").asBoolean()).isFalse();
        assertThat(d.get("results")).hasSize(2);
        assertThat(d.get("states")).hasSize(1);
        assertThat(d.get("states").get(0).get("s").asInt()).isEqualTo(2);
        assertThat(d.get("stats").get("x").asInt()).isEqualTo(1);
    }

    @Test
    void onlyTheSampleAskedForIsSentAndASnapshotReplacesWhatCameBefore() throws Exception {
        List<Frame> frames = List.of(
                new Frame(1, false, List.of(new Item("e/a", Kind.RESULT, "{\"n\":1}"))),
                new Frame(2, true, List.of(new Item("e/a", Kind.RESULT, "{\"n\":2}"),
                        new Item("e/b", Kind.RESULT, "{\"n\":3}"))),
                new Frame(3, false, List.of(new Item("e/b", Kind.ALERT, "{}"))));
        JsonNode d = data(SseFormat.event(frames, new Filter("e", "a")));
        assertThat(d.get("reset").asBoolean()).isTrue();
        assertThat(d.get("results")).hasSize(1);
        assertThat(d.get("results").get(0).get("n").asInt()).isEqualTo(2);
        assertThat(d.get("alerts")).isEmpty();
        assertThat(d.get("id").asLong()).isEqualTo(3);
    }

    @Test
    void nothingForThisBrowserMeansNoEvent() {
        List<Frame> frames = List.of(new Frame(1, false, List.of(new Item("e/b", Kind.RESULT, "{}"))));
        assertThat(SseFormat.event(frames, new Filter("e", "a"))).isNull();
        assertThat(SseFormat.event(List.of(), Filter.ALL)).isNull();
    }

    @Test
    void filtersMatchExperimentSampleOrBoth() {
        assertThat(new Filter("e", null).matches("e/x")).isTrue();
        assertThat(new Filter("e", null).matches("ee/x")).isFalse();
        assertThat(new Filter(null, "x").matches("e/x")).isTrue();
        assertThat(new Filter("e/1", "x").matches("e/1/x")).isTrue();
        assertThat(new Filter("", " ").matches("any/key")).isTrue();
    }
}
