package io.xasstream.common.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.common.config.XasConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {
    private final Topics topics = new Topics(XasConfig.defaults());

    @Test
    void topicNamesAreUniqueAndCompactedTopicsAreTheStateOnes() {
        assertThat(topics.all()).extracting(Topic::name).doesNotHaveDuplicates();
        assertThat(topics.operandoState.topicConfig()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.models.topicConfig()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.spectra.topicConfig()).containsEntry("retention.ms", "-1");
    }

    @Test
    void replayTopicsAreVersionedAndValidated() {
        assertThat(topics.resultsFor("fe-k-2.0").name()).isEqualTo("xas.results.fe-k-2.0");
        assertThatThrownBy(() -> topics.resultsFor("bad/version")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void retentionComesFromTheConfiguration() {
        Topics t = new Topics(XasConfig.load(null, Map.of(), Map.of("topics.spectra.retention-ms", "1000")));
        assertThat(t.spectra.topicConfig()).containsEntry("retention.ms", "1000");
    }

    @Test
    void aPrefixPrecedesEveryTopicNameSoThatBeamlinesCanBeKeptApartByPrefixedAcls() {
        Topics bl07 = new Topics(XasConfig.load(null, Map.of(), Map.of("topics.prefix", "bl07.")));
        assertThat(bl07.all()).extracting(Topic::name).allMatch(n -> n.startsWith("bl07.xas."))
                .contains("bl07.xas.spectra", "bl07.xas.models");
        assertThat(bl07.resultsFor("v2").name()).isEqualTo("bl07.xas.results.v2");
        assertThat(topics.spectra.name()).isEqualTo("xas.spectra");
        assertThatThrownBy(() -> new Topics(XasConfig.load(null, Map.of(), Map.of("topics.prefix", "bl 07/"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topics.prefix");
    }

    @Test
    void theKeyOfASampleIsExperimentSlashSample() {
        assertThat(RecordKeys.of("exp-7", "cu-1")).isEqualTo("exp-7/cu-1");
    }
}
