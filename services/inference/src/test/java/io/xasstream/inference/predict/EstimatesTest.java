package io.xasstream.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xasstream.schema.result.ClassEstimate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstimatesTest {

    @Test
    void expectedValueAndStdAreTakenOverTheNumericClassValues() {
        ClassEstimate c = Estimates.classes(List.of("4", "5", "6"), new float[] {0.25f, 0.25f, 0.5f},
                new float[] {0.01f, 0.02f, 0.03f});
        assertThat(c.getPredicted()).isEqualTo("6");
        assertThat(c.getExpectedValue()).isCloseTo(5.25, within(1e-6));
        // var = .25*1.5625 + .25*.0625 + .5*.5625 = .6875
        assertThat(c.getStd()).isCloseTo(Math.sqrt(0.6875), within(1e-6));
        assertThat(c.getProbabilityStd()).containsExactly(0.01f, 0.02f, 0.03f);
    }

    @Test
    void signedOxidationStateLabelsAreUnderstood() {
        ClassEstimate c = Estimates.classes(List.of("+1", "+2", "-1"), new float[] {0.1f, 0.9f, 0f}, null);
        assertThat(c.getPredicted()).isEqualTo("+2");
        assertThat(c.getExpectedValue()).isCloseTo(1.9, within(1e-6));
    }

    @Test
    void probabilitiesThatDoNotSumToOneAreRenormalisedForTheMoments() {
        ClassEstimate c = Estimates.classes(List.of("2", "4"), new float[] {0.2f, 0.2f}, null);
        assertThat(c.getExpectedValue()).isCloseTo(3.0, within(1e-6));
        assertThat(c.getStd()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void mismatchedShapesAreProgrammingErrors() {
        assertThatThrownBy(() -> Estimates.classes(List.of("1"), new float[] {0.5f, 0.5f}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Estimates.pdf(List.of(1.0, 2.0), new float[] {1f}, new float[] {1f}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Estimates.classes(List.of("high"), new float[] {1f}, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
