package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void theMedianOfOddAndEvenCounts() {
        assertThat(Summary.median(new double[] {30, 10, 20, 50, 40})).isEqualTo(30);
        assertThat(Summary.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Summary.median(new double[0])).isNaN();
    }
}
