package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResamplerTest {
    private static final double[] E = {10, 20, 30, 40};
    private static final double[] Y = {1, 3, 2, 6};

    @Test
    void linearInterpolationOnAnAbsoluteGrid() throws Exception {
        EnergyGrid g = EnergyGrid.strict(new double[] {10, 15, 20, 33, 40}, EnergyGrid.Reference.ABSOLUTE);
        assertThat(Resampler.resample(E, Y, 0, g)).containsExactly(new double[] {1, 2, 3, 3.2, 6}, within(1e-12));
    }

    @Test
    void relativeGridIsShiftedByE0() throws Exception {
        EnergyGrid g = EnergyGrid.strict(new double[] {-5, 0, 5}, EnergyGrid.Reference.RELATIVE_TO_E0);
        assertThat(Resampler.resample(E, Y, 25, g)).containsExactly(new double[] {3, 2.5, 2}, within(1e-12));
    }

    @Test
    void uncoveredGridIsRejectedUnlessPaddingIsAllowed() throws Exception {
        double[] pts = {5, 25, 45};
        assertThatThrownBy(() -> Resampler.resample(E, Y, 0, EnergyGrid.strict(pts, EnergyGrid.Reference.ABSOLUTE)))
                .isInstanceOf(SpectrumRejectedException.class)
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.GRID_NOT_COVERED);
        EnergyGrid edge = new EnergyGrid(pts, EnergyGrid.Reference.ABSOLUTE, EnergyGrid.OutOfRange.EDGE_VALUE, 0);
        assertThat(Resampler.resample(E, Y, 0, edge)).containsExactly(new double[] {1, 2.5, 6}, within(1e-12));
        EnergyGrid cst = new EnergyGrid(pts, EnergyGrid.Reference.ABSOLUTE, EnergyGrid.OutOfRange.CONSTANT, -1);
        assertThat(Resampler.resample(E, Y, 0, cst)).containsExactly(new double[] {-1, 2.5, -1}, within(1e-12));
    }

    @Test
    void gridMustIncrease() {
        assertThatThrownBy(() -> EnergyGrid.strict(new double[] {1, 1}, EnergyGrid.Reference.ABSOLUTE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(EnergyGrid.linspace(0, 1, 3)).containsExactly(0, 0.5, 1);
    }
}
