package io.xasstream.loadtests.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {
    @Test
    void quickExafsBeamlinesTakeTurnsAtTheirOwnRateEach() {
        ArrivalSchedule s = ArrivalSchedule.quickExafs(3, 100);
        assertThat(s.paced()).isTrue();
        assertThat(s.spectraPerSecond()).isEqualTo(300);
        assertThat(s.spectraPerSend()).isEqualTo(1);
        assertThat(s.dueNanos(0)).isZero();
        assertThat(s.dueNanos(300)).isEqualTo(1_000_000_000L);
        assertThat(s.source(0)).isZero();
        assertThat(s.source(4)).isEqualTo(1);
        // each beamline's own sends are 10 ms apart: 100 spectra/s
        assertThat(s.dueNanos(5) - s.dueNanos(2)).isEqualTo(10_000_000L);
    }

    @Test
    void xfelSendsOneTrainOfPulsesPerPeriod() {
        ArrivalSchedule s = ArrivalSchedule.xfel(64, 10);
        assertThat(s.spectraPerSend()).isEqualTo(64);
        assertThat(s.spectraPerSecond()).isEqualTo(640);
        assertThat(s.dueNanos(10)).isEqualTo(1_000_000_000L);
        assertThat(s.source(7)).isZero();
    }

    @Test
    void replayIsUnpacedEverySendDueAtOnce() {
        ArrivalSchedule s = ArrivalSchedule.replay();
        assertThat(s.paced()).isFalse();
        assertThat(s.dueNanos(12345)).isZero();
    }

    @Test
    void aRunIsBoundedByTimeAndByCount() {
        assertThat(ArrivalSchedule.quickExafs(1, 100).sends(10, 1_000_000)).isEqualTo(1000);
        assertThat(ArrivalSchedule.quickExafs(1, 100).sends(10, 250)).isEqualTo(250);
        assertThat(ArrivalSchedule.xfel(64, 10).sends(2, 1000)).as("16 trains reach 1000 spectra").isEqualTo(16);
        assertThat(ArrivalSchedule.xfel(64, 10).sends(2, 1_000_000)).isEqualTo(20);
        assertThat(ArrivalSchedule.replay().sends(1, 500)).as("replay: the count; time bounds the sender").isEqualTo(500);
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> ArrivalSchedule.quickExafs(0, 100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArrivalSchedule.xfel(64, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
