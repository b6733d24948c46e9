package io.xasstream.ingest.tiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.Fixtures;
import io.xasstream.ingest.IngestITSupport;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.profile.ProfileLoader;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code ingest tiled --once} against an in-test Tiled server: every finished run since the given time is
 * published once (paged search, API key, JSON and CSV tables); the same search again publishes nothing; a new run
 * is picked up by the next pass; aborted and unmappable runs are dead-lettered, open ones left for later.
 */
class TiledIngestIT {
    private static final double T0 = 1.75e9;

    @Test
    void everyRunSinceIsPublishedOnceAndARepeatedSearchPublishesNothing() throws Exception {
        List<SpectrumFile> cu = Fixtures.demo("cu-reduction", 6);
        Map<String, SpectrumFile> expected = new HashMap<>();
        try (TiledSimulator tiled = new TiledSimulator("bmm/raw", "s3cret")) {
            tiled.add(Fixtures.run(cu.get(0), "old-run").startTime(T0 - 3600), true); // before --since
            for (int i = 1; i <= 4; i++) {
                String uid = "cu-run-" + i;
                expected.put(uid, cu.get(i));
                tiled.add(Fixtures.run(cu.get(i), uid).startTime(T0 + 100 * i), true);
            }
            tiled.add(Fixtures.run(cu.get(5), "aborted").startTime(T0 + 600).exit("abort", "beam dump"), true);
            tiled.add(Fixtures.run(cu.get(5), "no-i0").startTime(T0 + 700), true);
            tiled.dropColumn("no-i0", "primary", "I0");
            tiled.add(Fixtures.run(cu.get(5), "still-running").startTime(T0 + 800), false);

            XasConfig config = IngestITSupport.configure(IngestITSupport.broker(), "ingest.tiled.url", tiled.url(),
                    "ingest.tiled.api-key", "s3cret", "ingest.tiled.page-size", "2");
            Topics topics = new Topics(config);
            Instant since = Instant.ofEpochSecond((long) T0);

            TiledIngest.Result first = pass(config, topics, tiled, since);
            assertThat(first.found()).isEqualTo(7);
            assertThat(first.published()).isEqualTo(4);
            assertThat(first.rejected()).isEqualTo(2);
            assertThat(first.open()).isEqualTo(1);
            assertThat(tiled.requests()).anyMatch(r -> r.contains("page%5Boffset%5D=2")
                    || r.contains("page[offset]=2"));

            List<Spectrum> spectra = spectra(config, topics, tiled);
            assertThat(spectra).extracting(Spectrum::getSpectrumId)
                    .containsExactlyInAnyOrderElementsOf(expected.keySet());
            for (Spectrum s : spectra) {
                Fixtures.Channels f = Fixtures.channels(expected.get(s.getSpectrumId()));
                List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
                for (int k = 0; k < e.size(); k++) {
                    assertThat(e.get(k)).isEqualTo(f.energy()[k]);
                    double mu = Math.log(s.getChannels().getI0().get(k) / s.getChannels().getItrans().get(k));
                    assertThat(mu).isCloseTo(Math.log(f.i0()[k] / f.it()[k]), within(1e-12));
                }
                assertThat(s.getMetadata().get("source")).startsWith("tiled:" + tiled.url());
                assertThat(s.getConditions()).containsKey("temperature");
            }
            assertThat(rejected(config, topics)).extracting(RejectedSpectrum::getReasonCode)
                    .containsExactlyInAnyOrder("RUN_NOT_SUCCESSFUL", "MISSING_COLUMN");

            // the same search again: everything is checkpointed, nothing is published
            TiledIngest.Result second = pass(config, topics, tiled, since);
            assertThat(second.published()).isZero();
            assertThat(second.rejected()).isZero();
            assertThat(second.skipped()).isEqualTo(6);
            assertThat(spectra(config, topics, tiled)).hasSize(4);
            assertThat(rejected(config, topics)).hasSize(2);

            // a run that finished since, read as CSV this time, is the only one published
            tiled.add(Fixtures.run(cu.get(0), "new-run").startTime(T0 + 900), true);
            XasConfig csv = config.with(Map.of("ingest.tiled.format", "csv"));
            TiledIngest.Result third = pass(csv, topics, tiled, since);
            assertThat(third.published()).isEqualTo(1);
            assertThat(spectra(config, topics, tiled)).hasSize(5);
            assertThat(tiled.requests()).anyMatch(r -> r.contains("format=text%2Fcsv")
                    || r.contains("format=text/csv"));
        }
    }

    @Test
    void withoutTheApiKeyTheServerRefusesAndNothingIsPublished() throws Exception {
        try (TiledSimulator tiled = new TiledSimulator("bmm/raw", "s3cret")) {
            TiledClient client = new TiledClient(tiled.url(), "");
            assertThat(catchThrowable(() -> client.search("bmm/raw", Map.of(), 10)))
                    .hasMessageContaining("401");
        }
    }

    /** What this test's catalog published (the broker is shared with the other ingest ITs). */
    private static List<Spectrum> spectra(XasConfig config, Topics topics, TiledSimulator tiled) {
        return IngestITSupport.readAll(config, topics.spectra).stream().filter(Spectrum.class::isInstance)
                .map(Spectrum.class::cast).filter(s -> s.getMetadata().getOrDefault("source", "")
                        .startsWith("tiled:" + tiled.url())).toList();
    }

    private static List<RejectedSpectrum> rejected(XasConfig config, Topics topics) {
        return IngestITSupport.readAll(config, topics.rejected).stream()
                .filter(r -> r.getService().equals(TiledIngest.SERVICE)).toList();
    }

    private static TiledIngest.Result pass(XasConfig config, Topics topics, TiledSimulator tiled, Instant since)
            throws Exception {
        AtomicLong total = new AtomicLong();
        AtomicLong steps = new AtomicLong();
        try (TiledIngest ingest = new TiledIngest(config, topics, new TiledClient(tiled.url(), "s3cret"), "bmm/raw",
                ProfileLoader.defaults(), new IngestMetrics(new SimpleMeterRegistry(), "tiled"))) {
            TiledIngest.Result r = ingest.pass(since, new TiledIngest.Progress() {
                @Override
                public void total(long runs) {
                    total.set(runs);
                }

                @Override
                public void step() {
                    steps.incrementAndGet();
                }
            });
            assertThat(steps.get()).isEqualTo(total.get()).isEqualTo(r.found());
            return r;
        }
    }
}
