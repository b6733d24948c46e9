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
        assertThat(t.sustained(60, 6400, 64)).isTrue();
    }

    @Test
    void aLagThatBuildsUpIsNotSustainedEvenBelowOneSecondOfInputPerRun() {
        LagTrend t = new LagTrend();
        for (int i = 0; i < 240; i++) {
            t.add(i * 0.25, 200L * i / 4); // +200 spectra per second: +12,000 over 60 s
        }
        assertThat(t.slope()).isCloseTo(200, offset(1e-6));
        assertThat(t.growth(60)).isCloseTo(12_000, offset(1e-3));
        // 64-pulse trains at 200 Hz: the answers ran 1.6 % behind the input, the lag would grow without end
        assertThat(t.sustained(60, 12_800, 64)).isFalse();
        // the same build-up is noise for an input 100 times larger
        assertThat(t.sustained(60, 128_000, 64)).isTrue();
    }

    @Test
    void theToleranceIsATenthOfASecondOfInputOrTwoSendsWhereThatIsMore() {
        assertThat(LagTrend.tolerance(12_800, 64)).isEqualTo(1280);
        assertThat(LagTrend.tolerance(640, 64)).isEqualTo(128); // 10 Hz trains: the lag moves by whole trains
        assertThat(LagTrend.tolerance(100, 1)).isEqualTo(10);
    }

    @Test
    void aLagThatJumpsByWholeTrainsWithoutBuildingUpIsSustained() {
        LagTrend t = new LagTrend();
        for (int i = 0; i < 240; i++) {
            t.add(i * 0.25, i % 3 == 0 ? 64 : 0); // one 10 Hz train outstanding now and then
        }
        assertThat(t.sustained(60, 640, 64)).isTrue();
    }

    @Test
    void tooFewSamplesShowNoTrend() {
        LagTrend t = new LagTrend();
        t.add(0, 100);
        assertThat(t.slope()).isZero();
    }
}
