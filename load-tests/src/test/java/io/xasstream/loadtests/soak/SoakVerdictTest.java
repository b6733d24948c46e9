package io.xasstream.loadtests.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.loadtests.loadgen.Ledger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakVerdictTest {
    private static final Ledger.Counts CLEAN = new Ledger.Counts(180_000, 180_000, 0, 0, 0, 0);

    private static List<SoakSample> minutes(double heapAt5, double heapAt30, long lag, long errors) {
        List<SoakSample> s = new ArrayList<>();
        for (int m = 1; m <= 30; m++) {
            double heap = m < 5 ? 80e6 : heapAt5 + (heapAt30 - heapAt5) * (m - 5) / 25.0;
            s.add(new SoakSample(m, heap, m == 17 ? lag : 3, 0, 12.5, 6000, m == 30 ? errors : 0));
        }
        return s;
    }

    @Test
    void aSteadyRunPasses() {
        SoakVerdict v = SoakVerdict.of(minutes(50e6, 54e6, 40, 0), 100, CLEAN);
        assertThat(v.pass()).as(String.join("\n", v.lines())).isTrue();
        assertThat(v.lines().get(0)).contains("minute 5.0").contains("minute 30.0").contains("+8.0 %");
    }

    @Test
    void heapGrowingMoreThanTenPercentFromMinuteFiveFails() {
        assertThat(SoakVerdict.of(minutes(50e6, 56e6, 40, 0), 100, CLEAN).pass()).isFalse();
        assertThat(SoakVerdict.of(minutes(50e6, 44e6, 40, 0), 100, CLEAN).pass()).isFalse();
    }

    @Test
    void lagAboveOneSecondOfInputAnErrorLineOrALostSpectrumFails() {
        assertThat(SoakVerdict.of(minutes(50e6, 50e6, 101, 0), 100, CLEAN).pass()).isFalse();
        assertThat(SoakVerdict.of(minutes(50e6, 50e6, 100, 0), 100, CLEAN).pass()).isTrue();
        assertThat(SoakVerdict.of(minutes(50e6, 50e6, 40, 1), 100, CLEAN).pass()).isFalse();
        assertThat(SoakVerdict.of(minutes(50e6, 50e6, 40, 0), 100, new Ledger.Counts(10, 9, 0, 0, 0, 0)).pass())
                .isFalse();
    }

    @Test
    void aShortRunComparesWithItsFirstSample() {
        SoakVerdict v = SoakVerdict.of(List.of(new SoakSample(0.25, 40e6, 5, 0, 9, 1500, 0),
                new SoakSample(1, 41e6, 5, 0, 9, 1500, 0)), 100, CLEAN);
        assertThat(v.pass()).isTrue();
        assertThat(v.lines().get(0)).contains("compared with its first sample");
        assertThat(SoakVerdict.of(List.of(), 100, CLEAN).pass()).isFalse();
    }
}
