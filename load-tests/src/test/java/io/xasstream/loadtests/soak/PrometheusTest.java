package io.xasstream.loadtests.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {
    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space",service="xasstream"} 1.0E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen",service="xasstream"} 3.5E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace",service="xasstream"} 9.9E7
            jvm_memory_used_bytes_other 5
            kafka_consumer_fetch_manager_records_lag_max{client_id="a"} 3.0
            kafka_consumer_fetch_manager_records_lag_max{client_id="b"} NaN
            kafka_consumer_fetch_manager_records_lag_max{client_id="c"} 12.0
            """;

    @Test
    void sumsAndMaximaOfTheLabelledSamples() {
        assertThat(Prometheus.sum(TEXT, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(4.5e7);
        assertThat(Prometheus.max(TEXT, "kafka_consumer_fetch_manager_records_lag_max")).isEqualTo(12.0);
        assertThat(Prometheus.max(TEXT, "no_such_metric")).isNaN();
    }

    @Test
    void errorLinesAreTheServicesErrorLevelOnly() {
        assertThat(CliProcess.isError("02:12:38.123 ERROR InferenceLoop - inference loop failed")).isTrue();
        assertThat(CliProcess.isError("02:12:38.123 WARN  Sender - ERROR CONCURRENT_TRANSACTIONS")).isFalse();
        assertThat(CliProcess.isError("  ERROR in a stack trace line")).isFalse();
    }
}
