package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.inference.model.TrustRule;
import io.xasstream.schema.result.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {
    private static final List<String> CLASSES = List.of("0", "1", "2");
    private static final TrustRule RULE = new TrustRule(TrustRule.CLASSES, 0.8, List.of("1"), null, null, "test");

    @Test
    void aConfidentUncontradictedAnswerIsTrusted() {
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.05f, 0.05f, 0.9f}, false))
                .isEqualTo(Verdict.TRUSTED);
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.8f, 0.1f, 0.1f}, false))
                .as("at the threshold").isEqualTo(Verdict.TRUSTED);
    }

    @Test
    void anOodFlagWinsOverEveryOtherCheck() {
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.05f, 0.05f, 0.9f}, true))
                .isEqualTo(Verdict.OUT_OF_DISTRIBUTION);
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.3f, 0.3f, 0.4f}, true))
                .isEqualTo(Verdict.OUT_OF_DISTRIBUTION);
    }

    @Test
    void aTopProbabilityUnderTheThresholdIsUncertain() {
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.1f, 0.11f, 0.79f}, false))
                .isEqualTo(Verdict.UNCERTAIN);
    }

    @Test
    void aClassThatMeasuredSpectraContradictedIsUncertainHoweverConfident() {
        assertThat(Verdicts.ofClasses(RULE, CLASSES, new float[] {0.0f, 0.99f, 0.01f}, false))
                .isEqualTo(Verdict.UNCERTAIN);
    }

    @Test
    void withoutARuleThereIsNoVerdict() {
        assertThat(Verdicts.ofClasses(null, CLASSES, new float[] {0f, 0f, 1f}, true)).isNull();
        assertThat(Verdicts.ofPdf(null, new float[] {1f}, new float[] {0f}, false)).isNull();
        assertThat(Verdicts.ofDistance(null, 0.01, false)).isNull();
    }

    @Test
    void anIntervalIsTrustedWhenNarrowEnough() {
        TrustRule interval = new TrustRule(TrustRule.INTERVAL, null, null, 0.2, 0.03, "test");
        // summed std 0.5 against summed |mean| 2.5: 0.2, at the limit
        assertThat(Verdicts.ofPdf(interval, new float[] {1f, -1.5f}, new float[] {0.25f, 0.25f}, false))
                .isEqualTo(Verdict.TRUSTED);
        assertThat(Verdicts.ofPdf(interval, new float[] {1f, -1.5f}, new float[] {0.375f, 0.25f}, false))
                .isEqualTo(Verdict.UNCERTAIN);
        assertThat(Verdicts.ofPdf(interval, new float[] {1f, -1f}, new float[] {0.1f, 0.1f}, true))
                .isEqualTo(Verdict.OUT_OF_DISTRIBUTION);
        assertThat(Verdicts.ofDistance(interval, 0.03, false)).isEqualTo(Verdict.TRUSTED);
        assertThat(Verdicts.ofDistance(interval, 0.031, false)).isEqualTo(Verdict.UNCERTAIN);
        assertThat(Verdicts.ofDistance(interval, 0.01, true)).isEqualTo(Verdict.OUT_OF_DISTRIBUTION);
    }

    @Test
    void aLimitOfZeroTrustsNothing() {
        TrustRule never = new TrustRule(TrustRule.INTERVAL, null, null, 0.0, 0.0, "no interval was narrow enough");
        assertThat(Verdicts.ofPdf(never, new float[] {1f, 1f}, new float[] {1e-4f, 1e-4f}, false))
                .isEqualTo(Verdict.UNCERTAIN);
        assertThat(Verdicts.ofDistance(never, 1e-4, false)).isEqualTo(Verdict.UNCERTAIN);
    }
}
