package io.xasstream.ingest.bluesky;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.Fixtures;
import io.xasstream.ingest.IngestITSupport;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.profile.ProfileLoader;
import io.xasstream.schema.dlq.RejectedSpectrum;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@code ingest bluesky --once} on the embedded broker: BMM-shaped runs of the repository's simulated spectra on two
 * facility topics (plain events, event pages, numpy columns, an aborted run, two runs interleaved on one
 * partition, garbage) give exactly one Spectrum per successful run, whose mu is ln(I0/It) of the fixture; a second
 * pass adds nothing.
 */
class BlueskyIngestIT {
    static final Pattern TOPICS = Pattern.compile("(bmm|cms)\\.bluesky\\.runengine\\.documents");

    @Test
    void everySuccessfulRunComesOutOnceAndBadInputIsDeadLettered() throws Exception {
        XasConfig config = IngestITSupport.configure(IngestITSupport.broker(), "ingest.bluesky.application-id",
                "it-bluesky-once");
        Topics topics = new Topics(config);
        IngestITSupport.createTopic(config, "bmm.bluesky.runengine.documents", 1);
        IngestITSupport.createTopic(config, "cms.bluesky.runengine.documents", 2);

        List<SpectrumFile> fe = Fixtures.demo("fe-reduction", 4);
        List<SpectrumFile> cu = Fixtures.demo("cu-reduction", 3);
        Map<String, SpectrumFile> expected = new HashMap<>();
        List<byte[]> bmm = new ArrayList<>();
        expected.put("fe-events", fe.get(0));
        bmm.addAll(Fixtures.run(fe.get(0), "fe-events").messages());
        expected.put("fe-page", fe.get(1));
        bmm.addAll(Fixtures.run(fe.get(1), "fe-page").layout(SimulatedRun.Layout.EVENT_PAGES, 100).messages());
        bmm.add("garbage".getBytes(StandardCharsets.UTF_8));
        expected.put("cu-numpy", cu.get(0));
        bmm.addAll(Fixtures.run(cu.get(0), "cu-numpy").layout(SimulatedRun.Layout.NUMPY_PAGES, 64).messages());
        bmm.addAll(Fixtures.run(fe.get(2), "fe-aborted").exit("abort", "user pressed Ctrl-C").messages());
        List<byte[]> a = Fixtures.run(fe.get(3), "fe-interleaved").messages();
        List<byte[]> b = Fixtures.run(cu.get(1), "cu-interleaved").layout(SimulatedRun.Layout.NUMPY_EVENTS, 1)
                .messages();
        expected.put("fe-interleaved", fe.get(3));
        expected.put("cu-interleaved", cu.get(1));
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                bmm.add(a.get(i));
            }
            if (i < b.size()) {
                bmm.add(b.get(i));
            }
        }
        IngestITSupport.produce(config, "bmm.bluesky.runengine.documents", 0,
                "bmm".getBytes(StandardCharsets.UTF_8), bmm);
        expected.put("cu-cms", cu.get(2));
        IngestITSupport.produce(config, "cms.bluesky.runengine.documents", 1, null,
                Fixtures.run(cu.get(2), "cu-cms").messages());

        IngestMetrics metrics = new IngestMetrics(new SimpleMeterRegistry(), "bluesky");
        runOnce(config, topics, metrics);

        List<Spectrum> spectra = ours(config, topics);
        assertThat(spectra).extracting(Spectrum::getSpectrumId)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Spectrum s : spectra) {
            Fixtures.Channels c = Fixtures.channels(expected.get(s.getSpectrumId()));
            List<Double> i0 = s.getChannels().getI0();
            List<Double> it = s.getChannels().getItrans();
            assertThat(i0).hasSize(c.i0().length);
            for (int k = 0; k < i0.size(); k++) {
                double mu = Math.log(i0.get(k) / it.get(k));
                assertThat(Math.abs(mu - Math.log(c.i0()[k] / c.it()[k]))).isLessThanOrEqualTo(1e-12);
            }
        }
        List<RejectedSpectrum> dead = IngestITSupport.readAll(config, topics.rejected).stream()
                .filter(r -> r.getSourceTopic().matches(TOPICS.pattern())).toList();
        assertThat(dead).extracting(RejectedSpectrum::getReasonCode)
                .containsExactlyInAnyOrder("UNDECODABLE_DOCUMENT", "RUN_NOT_SUCCESSFUL");
        assertThat(metrics.count("xas.ingest.spectra", "")).isEqualTo(expected.size());

        // a second --once of the same adapter finds nothing new: the offsets and the open runs were committed
        runOnce(config, topics, new IngestMetrics(new SimpleMeterRegistry(), "bluesky"));
        assertThat(ours(config, topics)).hasSize(expected.size());
    }

    /** The spectra this adapter published (the broker is shared with the other ingest ITs). */
    private static List<Spectrum> ours(XasConfig config, Topics topics) {
        return IngestITSupport.readAll(config, topics.spectra).stream().filter(Spectrum.class::isInstance)
                .map(Spectrum.class::cast).filter(s -> s.getMetadata().getOrDefault("source", "")
                        .matches("bluesky:" + TOPICS.pattern())).toList();
    }

    static void runOnce(XasConfig config, Topics topics, IngestMetrics metrics) throws Exception {
        runOnce(config, topics, TOPICS, metrics);
    }

    static void runOnce(XasConfig config, Topics topics, Pattern pattern, IngestMetrics metrics) throws Exception {
        try (BlueskyIngest ingest = BlueskyIngest.start(config, topics, pattern, ProfileLoader.defaults(), metrics,
                null, 0)) {
            Map<TopicPartition, Long> ends = BlueskyIngest.endOffsets(config, pattern);
            assertThat(ingest.awaitCommitted(ends, Duration.ofMinutes(3))).as("caught up with " + ends).isTrue();
        }
    }
}
