package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.schema.result.OodEstimate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A result's OOD estimate: per task as scored, overall the worst relative to its threshold, flagged first. */
class OodSummaryTest {

    @Test
    void withoutAnyScoreTheResultSaysSoInsteadOfClaimingInDistribution() {
        List<String> flags = new ArrayList<>();
        OodEstimate overall = new OodSummary().overall(flags);

        assertThat(overall.getScore()).isNaN();
        assertThat(overall.getFlagged()).isFalse();
        assertThat(flags).containsExactly("NO_OOD_SCORE");
    }

    @Test
    void theOverallEstimateIsTheHighestScoreRelativeToItsOwnThreshold() {
        OodSummary s = new OodSummary();
        s.add("pdf", 4.0, 10.0, false);       // 0.4 of its threshold
        s.add("oxidation_state", 0.9, 1.0, false); // 0.9 of its threshold
        s.add("coordination_number", 2.0, 4.0, false);
        List<String> flags = new ArrayList<>();

        OodEstimate overall = s.overall(flags);

        assertThat(overall.getScore()).isEqualTo(0.9);
        assertThat(overall.getThreshold()).isEqualTo(1.0);
        assertThat(flags).isEmpty();
        assertThat(s.byTask()).containsOnlyKeys("pdf", "oxidation_state", "coordination_number");
        assertThat(s.byTask().get("pdf").getScore()).isEqualTo(4.0);
    }

    @Test
    void aFlaggedTaskFlagsTheResultEvenWhenAnotherScoresHigherRelatively() {
        OodSummary s = new OodSummary();
        s.add("pdf", 11.0, 10.0, true);        // 1.1: flagged
        s.add("oxidation_state", 1.5, 1.0, false); // 1.5 relative, but its model did not flag it
        List<String> flags = new ArrayList<>();

        OodEstimate overall = s.overall(flags);

        assertThat(overall.getFlagged()).isTrue();
        assertThat(overall.getScore()).isEqualTo(1.5);
        assertThat(flags).containsExactly("OUT_OF_DISTRIBUTION");
        assertThat(s.byTask().get("oxidation_state").getFlagged()).isFalse();
    }
}
