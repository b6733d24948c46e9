package io.xasstream.dashboard.feed;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** What the dashboard holds of one sample: bounded recent results, alerts and spectra, its latest state. */
final class SampleTrack {
    static final int ALERTS_KEPT = 200;
    static final int SPECTRA_KEPT = 8;
    /** Kept spectra lie at least this far apart in acquisition time, so the overlay shows change, not noise. */
    static final long SPECTRA_SPACING_MS = 5_000;

    final String key;
    final String experiment;
    final String sample;
    String element = "";
    long results;
    long spectraSeen;
    long alerts;
    long lastAcquiredMs;
    private final int maxResults;
    private final ArrayDeque<Item> recent = new ArrayDeque<>();
    private final ArrayDeque<Item> alertItems = new ArrayDeque<>();
    private final ArrayDeque<Item> spectra = new ArrayDeque<>();
    private Item state;
    private long lastPushedMs = Long.MIN_VALUE / 2;
    private long newestSpectrumMs = Long.MIN_VALUE / 2;
    private long fixedSpectrumMs = Long.MIN_VALUE / 2;

    SampleTrack(String key, String experiment, String sample, int maxResults) {
        this.key = key;
        this.experiment = experiment;
        this.sample = sample;
        this.maxResults = maxResults;
    }

    void result(Item item, String element, long acquiredMs) {
        bounded(recent, item, maxResults);
        results++;
        this.element = element;
        lastAcquiredMs = Math.max(lastAcquiredMs, acquiredMs);
    }

    /** Whether a result acquired then goes into the live push: not within {@code spacingMs} after the last pushed. */
    boolean push(long acquiredMs, long spacingMs) {
        if (acquiredMs >= lastPushedMs && acquiredMs < lastPushedMs + spacingMs) {
            return false;
        }
        lastPushedMs = acquiredMs;
        return true;
    }

    void alert(Item item) {
        bounded(alertItems, item, ALERTS_KEPT);
        alerts++;
    }

    /**
     * The newest spectrum always shows; the others stay at least {@link #SPECTRA_SPACING_MS} apart (by the time the
     * dashboard drew them), so the newest replaces its predecessor while that is still too close to the one before.
     */
    void spectrum(Item item, long drawnMs) {
        if (spectra.size() >= 2 && newestSpectrumMs - fixedSpectrumMs < SPECTRA_SPACING_MS) {
            spectra.removeLast();
        } else {
            fixedSpectrumMs = newestSpectrumMs;
        }
        newestSpectrumMs = drawnMs;
        bounded(spectra, item, SPECTRA_KEPT);
    }

    void state(Item item, long spectraSeen, long alertCount) {
        state = item;
        this.spectraSeen = Math.max(this.spectraSeen, spectraSeen);
        this.alerts = Math.max(this.alerts, alertCount);
    }

    /** Everything held, results limited to the newest {@code maxResults}, oldest first. */
    List<Item> snapshot(int maxResultItems) {
        List<Item> out = new ArrayList<>();
        int skip = Math.max(0, recent.size() - maxResultItems);
        for (Item i : recent) {
            if (skip-- <= 0) {
                out.add(i);
            }
        }
        out.addAll(alertItems);
        out.addAll(spectra);
        if (state != null) {
            out.add(state);
        }
        return out;
    }

    int heldResults() {
        return recent.size();
    }

    private static void bounded(ArrayDeque<Item> deque, Item item, int max) {
        deque.addLast(item);
        while (deque.size() > max) {
            deque.removeFirst();
        }
    }
}
