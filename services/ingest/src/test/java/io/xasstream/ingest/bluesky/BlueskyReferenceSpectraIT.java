package io.xasstream.ingest.bluesky;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.Fixtures;
import io.xasstream.ingest.IngestITSupport;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.schema.spectrum.Spectrum;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The measured reference spectra of ../shared/data rendered as BMM-shaped Bluesky runs (every layout in turn, one
 * aborted run per ten) and ingested from the embedded broker: one Spectrum per successful run, whose mu is
 * ln(I0/It) of the fixture to 1e-12 (transmission-only files get a flux curve I0 and It = I0·exp(-mu)).
 */
@Tag("shared")
class BlueskyReferenceSpectraIT {

    @Test
    void everyMeasuredReferenceSpectrumComesOutOnceWithItsMu() throws Exception {
        List<SpectrumFile> files = Fixtures.reference();
        assertThat(files).hasSizeGreaterThan(30);
        XasConfig config = IngestITSupport.configure(IngestITSupport.broker(), "ingest.bluesky.application-id",
                "it-bluesky-reference");
        Topics topics = new Topics(config);
        IngestITSupport.createTopic(config, "ref.bluesky.runengine.documents", 1);
        Map<String, SpectrumFile> expected = new HashMap<>();
        List<byte[]> messages = new ArrayList<>();
        SimulatedRun.Layout[] layouts = SimulatedRun.Layout.values();
        for (int i = 0; i < files.size(); i++) {
            String uid = "ref-" + i;
            SimulatedRun run = Fixtures.run(files.get(i), uid).layout(layouts[i % layouts.length], 100);
            if (i % 10 == 9) {
                run.exit("abort", "aborted on purpose");
            } else {
                expected.put(uid, files.get(i));
            }
            messages.addAll(run.messages());
        }
        IngestITSupport.produce(config, "ref.bluesky.runengine.documents", 0, null, messages);

        Pattern topic = Pattern.compile("ref\\.bluesky\\.runengine\\.documents");
        BlueskyIngestIT.runOnce(config, topics, topic, new IngestMetrics(new SimpleMeterRegistry(), "bluesky"));

        List<Spectrum> spectra = IngestITSupport.readAll(config, topics.spectra).stream()
                .filter(Spectrum.class::isInstance).map(Spectrum.class::cast)
                .filter(s -> s.getSpectrumId().startsWith("ref-")).toList();
        assertThat(spectra).extracting(Spectrum::getSpectrumId)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (Spectrum s : spectra) {
            SpectrumFile sf = expected.get(s.getSpectrumId());
            Fixtures.Channels c = Fixtures.channels(sf);
            assertThat(s.getElement()).isEqualTo(sf.element().orElseThrow());
            assertThat(s.getChannels().getI0()).as(sf.source()).hasSize(c.i0().length);
            for (int k = 0; k < c.i0().length; k++) {
                double mu = Math.log(s.getChannels().getI0().get(k) / s.getChannels().getItrans().get(k));
                assertThat(Math.abs(mu - Math.log(c.i0()[k] / c.it()[k]))).as(sf.source() + " point " + k)
                        .isLessThanOrEqualTo(1e-12);
            }
        }
        System.out.printf("ingest bluesky: %d measured reference spectra → %d spectra, mu = ln(I0/It) to 1e-12%n",
                files.size(), spectra.size());
    }
}
