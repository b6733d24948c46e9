package io.xasstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.xasstream.core.ReasonCode;
import org.junit.jupiter.api.Test;

/** The adapter meters as /metrics shows them: documents, runs, spectra out, dead letters and lag, per source. */
class IngestMetricsTest {

    @Test
    void everyAdapterMeterIsOnThePrometheusPageWithItsSource() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        IngestMetrics m = new IngestMetrics(registry, "bluesky");
        m.document("event");
        m.document("event");
        m.run("emitted");
        m.spectra(3);
        m.deadLetter(ReasonCode.RUN_NOT_SUCCESSFUL);
        m.lag(() -> 42);
        String page = registry.scrape();
        assertThat(page).contains("xas_ingest_documents_total{kind=\"event\",source=\"bluesky\"} 2.0")
                .contains("xas_ingest_runs_total{outcome=\"emitted\",source=\"bluesky\"} 1.0")
                .contains("xas_ingest_spectra_total{source=\"bluesky\"} 3.0")
                .contains("xas_ingest_dead_letters_total{reason=\"RUN_NOT_SUCCESSFUL\",source=\"bluesky\"} 1.0")
                .contains("xas_ingest_lag{source=\"bluesky\"} 42.0");
        assertThat(m.count("xas.ingest.documents", "event")).isEqualTo(2);
    }
}
