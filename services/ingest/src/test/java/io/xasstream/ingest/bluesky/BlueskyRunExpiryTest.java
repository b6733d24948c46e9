package io.xasstream.ingest.bluesky;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.ingest.Fixtures;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Bluesky run whose stop never comes (the RunEngine died) does not stay in the store forever: it is dead-lettered
 * as RUN_EXPIRED and removed once it is older than the age limit in stream time, or when it is the oldest of more
 * open runs than the limit.
 */
class BlueskyRunExpiryTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final byte[] KEY = "BMM".getBytes(StandardCharsets.UTF_8);

    private BlueskyDriver driver;

    @AfterEach
    void stop() {
        driver.close();
    }

    private static List<byte[]> run(int fixture, String uid) {
        SpectrumFile sf = Fixtures.demo("fe-reduction", fixture + 1).get(fixture);
        return Fixtures.run(sf, uid).messages();
    }

    /** The documents one per millisecond from {@code at}. */
    private void pipe(List<byte[]> messages, long at) {
        for (int i = 0; i < messages.size(); i++) {
            driver.in.pipeInput(KEY, messages.get(i), at + i);
        }
    }

    private List<String> spectrumIds() {
        return driver.spectra.readValuesToList().stream().map(v -> ((Spectrum) v).getSpectrumId()).toList();
    }

    private void assertStoreEmpty() {
        try (KeyValueIterator<String, byte[]> it = driver.store().all()) {
            assertThat(it.hasNext()).as("nothing of any run is left in the store").isFalse();
        }
    }

    @Test
    void aRunWithoutStopIsDeadLetteredOnceOlderThanTheAgeLimitInStreamTimeAndRemoved() throws Exception {
        driver = new BlueskyDriver(0, new RunLimits(HOUR, 1000));
        List<byte[]> hung = run(0, "hung");
        pipe(hung.subList(0, hung.size() - 1), T0);
        pipe(run(1, "within-the-hour"), T0 + 59 * 60_000L);
        assertThat(driver.rejected.isEmpty()).as("59 minutes of stream time: not yet expired").isTrue();
        assertThat(spectrumIds()).containsExactly("within-the-hour");

        pipe(run(2, "two-hours-later"), T0 + 2 * HOUR);
        List<RejectedSpectrum> dead = driver.rejected.readValuesToList();
        assertThat(dead).hasSize(1);
        RejectedSpectrum d = dead.get(0);
        assertThat(d.getReasonCode()).isEqualTo("RUN_EXPIRED");
        assertThat(d.getSpectrumId()).isEqualTo("hung");
        assertThat(d.getSourceTopic()).isEqualTo(BlueskyDriver.TOPIC);
        assertThat(d.getSourceOffset()).as("where the start document was read").isZero();
        assertThat(d.getOriginal()).isEqualTo(ByteBuffer.wrap(hung.get(0)));
        assertThat(d.getMessage()).contains("has no stop").contains("PT1H").contains("event documents");
        assertThat(spectrumIds()).containsExactly("two-hours-later");
        assertStoreEmpty();
        assertThat(driver.metrics.count("xas.ingest.runs", "expired")).isEqualTo(1);
        assertThat(driver.metrics.count("xas.ingest.dead_letters", "RUN_EXPIRED")).isEqualTo(1);

        // the stop that comes after all: its run is gone, so it is an orphan, never a late spectrum
        driver.in.pipeInput(KEY, hung.get(hung.size() - 1), T0 + 2 * HOUR + 10_000);
        assertThat(spectrumIds()).isEmpty();
        assertThat(driver.rejected.readValue().getReasonCode()).isEqualTo("ORPHAN_DOCUMENT");
        assertStoreEmpty();
    }

    @Test
    void aStartBeyondTheOpenRunLimitExpiresTheOldestOpenRun() throws Exception {
        driver = new BlueskyDriver(0, new RunLimits(HOUR, 2));
        List<byte[]> a = run(0, "run-a");
        List<byte[]> b = run(1, "run-b");
        List<byte[]> c = run(2, "run-c");
        pipe(a.subList(0, a.size() - 1), T0);
        pipe(b.subList(0, b.size() - 1), T0 + 1_000);
        assertThat(driver.rejected.isEmpty()).isTrue();

        pipe(c.subList(0, c.size() - 1), T0 + 2_000);
        RejectedSpectrum d = driver.rejected.readValue();
        assertThat(d.getReasonCode()).isEqualTo("RUN_EXPIRED");
        assertThat(d.getSpectrumId()).isEqualTo("run-a");
        assertThat(d.getMessage()).contains("more than 2 open runs");
        assertThat(driver.rejected.isEmpty()).isTrue();

        pipe(List.of(b.get(b.size() - 1), c.get(c.size() - 1)), T0 + 3_000);
        assertThat(spectrumIds()).containsExactly("run-b", "run-c");
        assertStoreEmpty();
    }
}
