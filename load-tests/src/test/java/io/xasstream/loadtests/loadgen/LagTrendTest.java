package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LagTrendTest {
    @Test
    void aSteadyLagIsSustainedEvenWhenItIsLarge() {
        LagTrend t = new LagTrend();
        for (int i = 0; i < 240; i++) {
            t.add(i * 0.25, 5000 + (i % 2 == 0 ? 300 : -300)); // a long latency, no build-up
        }
        assertThat(t.slope()).isCloseTo(0, offset(5.0));
        assertThat(t.max()).isEqualTo(5300);
        assertThat(t.sustained(60, 6400)).isTrue();
    }

    @Test
    void aLagThatBuildsUpByMoreThanOneSecondOfInputIsNot() {
        LagTrend t = new LagTrend();
        for (int i = 0; i < 240; i++) {
            t.add(i * 0.25, 200L * i / 4); // +200 spectra per second: +12,000 over 60 s
        }
        assertThat(t.slope()).isCloseTo(200, offset(1e-6));
        assertThat(t.growth(60)).isCloseTo(12_000, offset(1e-3));
        assertThat(t.sustained(60, 6400)).isFalse();
        assertThat(t.sustained(60, 12_800)).isTrue();
    }

    @Test
    void tooFewSamplesShowNoTrend() {
        LagTrend t = new LagTrend();
        t.add(0, 100);
        assertThat(t.slope()).isZero();
    }
}
