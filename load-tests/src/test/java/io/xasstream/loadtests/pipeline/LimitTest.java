package io.xasstream.loadtests.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class LimitTest {
    @Test
    void timesPerSpectrumAddUpOnSharedCores() {
        Limit l = new Limit(20_000, 5_000); // 50 µs + 200 µs per spectrum
        assertThat(l.perSecond()).isCloseTo(4_000, offset(1e-9));
        assertThat(l.ratio(3_400)).isCloseTo(0.85, offset(1e-12));
        assertThat(new Limit(1000, 1000).perSecond()).isCloseTo(500, offset(1e-12));
    }

    @Test
    void aRateThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> new Limit(0, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limit(5, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
