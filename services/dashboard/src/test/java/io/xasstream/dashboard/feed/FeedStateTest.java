package io.xasstream.dashboard.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedStateTest {
    private static Item result(String key, long i) {
        return new Item(key, Kind.RESULT, "{\"i\":" + i + "}");
    }

    @Test
    void resultsPerSampleAndSamplesAreBounded() {
        FeedState feed = new FeedState(3, 50);
        for (int s = 0; s < 10; s++) {
            String key = "exp/s" + s;
            for (int i = 0; i < 200; i++) {
                feed.track(key, "exp", "s" + s).result(result(key, i), "Cu", i);
            }
        }
        assertThat(feed.samples()).isEqualTo(3);
        assertThat(feed.heldResults()).isEqualTo(150);
        // the samples updated most recently are kept
        assertThat(feed.samplesItem().json()).contains("\"s9\"", "\"s8\"", "\"s7\"").doesNotContain("\"s6\"");
    }

    @Test
    void aSnapshotForOneSampleHoldsItsHistoryOldestFirstAndTheSampleList() {
        FeedState feed = new FeedState(10, 100);
        for (int i = 0; i < 30; i++) {
            feed.track("e1/a", "e1", "a").result(result("e1/a", i), "Fe", i);
            feed.track("e1/b", "e1", "b").result(result("e1/b", i), "Cu", i);
        }
        feed.track("e1/a", "e1", "a").alert(new Item("e1/a", Kind.ALERT, "{}"));
        List<Item> snap = feed.snapshot(new Filter("e1", "a"));
        assertThat(snap).filteredOn(i -> i.kind() == Kind.RESULT).hasSize(30).allMatch(i -> i.key().equals("e1/a"))
                .first().extracting(Item::json).isEqualTo("{\"i\":0}");
        assertThat(snap).filteredOn(i -> i.kind() == Kind.ALERT).hasSize(1);
        assertThat(snap).filteredOn(i -> i.kind() == Kind.SAMPLES).hasSize(1);
        // not narrowed to one sample: a few recent results of each
        assertThat(feed.snapshot(Filter.ALL)).filteredOn(i -> i.kind() == Kind.RESULT)
                .hasSize(2 * FeedState.OVERVIEW_RESULTS);
    }

    @Test
    void thePickerListsNewestAcquisitionFirstWithCounts() {
        FeedState feed = new FeedState(10, 100);
        feed.track("e1/old", "e1", "old").result(result("e1/old", 0), "Fe", 1_000);
        feed.track("e2/new", "e2", "new").result(result("e2/new", 0), "Cu", 2_000);
        String json = feed.samplesItem().json();
        assertThat(json.indexOf("\"new\"")).isLessThan(json.indexOf("\"old\""));
        assertThat(json).contains("\"results\":1");
    }

    @Test
    void keptSpectraLieApartAndTheNewestAlwaysShows() {
        SampleTrack track = new SampleTrack("e/a", "e", "a", 10);
        for (int second = 0; second < 60; second++) {
            track.spectrum(new Item("e/a", Kind.SPECTRUM, "{\"s\":" + second + "}"), second * 1000L);
        }
        List<String> kept = track.snapshot(0).stream().filter(i -> i.kind() == Kind.SPECTRUM).map(Item::json)
                .toList();
        assertThat(kept).hasSize(SampleTrack.SPECTRA_KEPT).last().isEqualTo("{\"s\":59}");
        List<Integer> seconds = kept.stream().map(j -> Integer.parseInt(j.replaceAll("\\D", ""))).toList();
        for (int i = 1; i < seconds.size() - 1; i++) {
            assertThat(seconds.get(i) - seconds.get(i - 1)).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void theLivePushThinsBySpacingInAcquisitionTimeNotByHowFastABacklogIsRead() {
        SampleTrack track = new SampleTrack("e/a", "e", "a", 10);
        long pushed = 0;
        for (int i = 0; i < 27_000; i++) { // one second of an XFEL at 27 kHz
            pushed += track.push(1_000_000 + i / 27, 4) ? 1 : 0;
        }
        assertThat(pushed).isBetween(240L, 260L);
        SampleTrack quick = new SampleTrack("e/b", "e", "b", 10);
        for (int i = 0; i < 1_000; i++) { // a beamline's 100 spectra/s, read back in one go
            assertThat(quick.push(1_000_000 + i * 10L, 4)).isTrue();
        }
        assertThat(quick.push(0, 4)).as("a new run starting earlier").isTrue();
    }
}
