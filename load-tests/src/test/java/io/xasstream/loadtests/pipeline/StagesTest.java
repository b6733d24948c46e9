package io.xasstream.loadtests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StagesTest {
    @Test
    void threadsGoToTheStageTheyServeByTheirTruncatedLinuxNames() {
        assertThat(Stages.of("inference-poll")).isEqualTo("poll");
        assertThat(Stages.of("kafka-coordinat")).isEqualTo("poll");
        assertThat(Stages.of("inference-infer")).isEqualTo("onnx");
        assertThat(Stages.of("java")).as("ONNX Runtime's pool").isEqualTo("onnx");
        assertThat(Stages.of("inference-commi")).isEqualTo("commit");
        assertThat(Stages.of("kafka-producer-")).isEqualTo("commit");
        assertThat(Stages.of("floor-commit")).isEqualTo("commit");
        assertThat(Stages.of("CN CompilerThre")).isEqualTo("jvm");
        assertThat(Stages.of("GC Thread#N")).isEqualTo("jvm");
        assertThat(Stages.of("loadgen-reader")).isEqualTo("measuring");
        assertThat(Stages.of("main")).isEqualTo("measuring");
        assertThat(Stages.of("data-plane-kafk")).isEqualTo("broker");
        assertThat(Stages.of("group-coordinat")).isEqualTo("broker");
    }

    @Test
    void groupingSumsByStageInAFixedOrder() {
        Map<String, Long> g = Stages.group(Map.of("inference-poll", 3L, "java", 5L, "inference-infer", 1L,
                "data-plane-kafk", 7L));
        assertThat(g).containsExactly(Map.entry("poll", 3L), Map.entry("onnx", 6L), Map.entry("commit", 0L),
                Map.entry("broker", 7L), Map.entry("jvm", 0L), Map.entry("measuring", 0L));
    }
}
