package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LedgerTest {
    private static final long MS = 1_000_000L;

    private static Ledger sent(int n) {
        Ledger l = new Ledger("run7", 100);
        for (int i = 0; i < n; i++) {
            l.sent(i, i * 10 * MS);
        }
        return l;
    }

    @Test
    void everyAnswerIsMatchedToItsSpectrumAndTimedFromItsDueTime() {
        Ledger l = sent(3);
        l.answered("run7-1", 15 * MS);   // due at 10 ms: 5 ms
        l.answered("run7-0", 2 * MS);    // due at 0: 2 ms
        l.deadLettered("run7-2", 40 * MS); // due at 20 ms: 20 ms

        Ledger.Counts c = l.counts();
        assertThat(c.sent()).isEqualTo(3);
        assertThat(c.answered()).isEqualTo(2);
        assertThat(c.deadLettered()).isEqualTo(1);
        assertThat(c.lost()).isZero();
        assertThat(c.duplicated()).isZero();
        var h = l.total();
        assertThat(h.getTotalCount()).isEqualTo(3);
        assertThat(h.getMinValue()).isEqualTo(2000);
        assertThat(h.valuesAreEquivalent(h.getMaxValue(), 20_000)).as("20 ms, to the histogram's precision").isTrue();
        assertThat(l.lastResolvedNanos()).isEqualTo(40 * MS);
    }

    @Test
    void aSecondAnswerForTheSameSpectrumIsADuplicateWhateverItsKind() {
        Ledger l = sent(2);
        l.answered("run7-0", MS);
        l.answered("run7-0", 2 * MS);
        l.answered("run7-1", MS);
        l.deadLettered("run7-1", 3 * MS);

        Ledger.Counts c = l.counts();
        assertThat(c.answered()).isEqualTo(2);
        assertThat(c.deadLettered()).isZero();
        assertThat(c.duplicated()).isEqualTo(2);
        assertThat(c.lost()).isZero();
        assertThat(l.total().getTotalCount()).as("a duplicate is not a second latency").isEqualTo(2);
    }

    @Test
    void spectraWithoutAnswerAreLostAndOutstandingMeanwhile() {
        Ledger l = sent(5);
        l.answered("run7-3", MS);
        assertThat(l.outstanding()).isEqualTo(4);
        assertThat(l.counts().lost()).isEqualTo(4);
    }

    @Test
    void answersOfOtherRunsOrOfUnsentSpectraAreUnexpectedNeverMatched() {
        Ledger l = sent(2);
        l.answered("run70-1", MS);   // another run whose id starts with this one's
        l.answered("other-0", MS);
        l.answered("run7-2", MS);    // not sent (yet)
        l.answered("run7-x", MS);
        l.answered("run7", MS);
        l.answered(null, MS);
        l.deadLettered("run7--1", MS);

        assertThat(l.counts().unexpected()).isEqualTo(7);
        assertThat(l.counts().answered()).isZero();
        assertThat(l.counts().lost()).isEqualTo(2);
    }

    @Test
    void intervalsHoldTheAnswersSinceTheLastOneAndAddUpToTheTotal() {
        Ledger l = sent(3);
        l.answered("run7-0", MS);
        assertThat(l.interval().getTotalCount()).isEqualTo(1);
        l.answered("run7-1", 11 * MS);
        l.answered("run7-2", 21 * MS);
        assertThat(l.interval().getTotalCount()).isEqualTo(2);
        assertThat(l.interval().getTotalCount()).isZero();
        assertThat(l.total().getTotalCount()).isEqualTo(3);
    }

    @Test
    void spectraAreRegisteredInOrderAndWithinTheRunsBound() {
        Ledger l = new Ledger("r", 2);
        l.sent(0, 0);
        assertThatThrownBy(() -> l.sent(2, 0)).isInstanceOf(IllegalStateException.class);
        l.sent(1, 0);
        assertThatThrownBy(() -> l.sent(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(l.id(1)).isEqualTo("r-1");
    }
}
