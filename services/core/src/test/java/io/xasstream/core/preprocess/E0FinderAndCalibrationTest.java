package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.Edge;
import org.junit.jupiter.api.Test;

import static io.xasstream.core.preprocess.SyntheticSpectra.edgeMu;
import static io.xasstream.core.preprocess.SyntheticSpectra.feEnergy;
import static io.xasstream.core.preprocess.SyntheticSpectra.feMu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class E0FinderAndCalibrationTest {

    @Test
    void findsTheSteepestRiseIgnoringIsolatedGlitches() throws Exception {
        double[] e = feEnergy();
        double[] mu = feMu();
        assertThat(E0Finder.find(e, mu)).isEqualTo(7112.0);
        // a one-point spike steeper than the edge: its neighbours are not steep, so Larch's rule skips it
        mu[40] += 1.0;
        assertThat(E0Finder.find(e, mu)).isEqualTo(7112.0);
    }

    @Test
    void edgesInTheFirstOrLast5PercentAreIgnored() {
        double[] e = feEnergy();
        double[] mu = edgeMu(e, 6952.0, 1.0); // edge at the 2nd point
        for (int i = 0; i < mu.length; i++) {
            mu[i] -= 5e-3 * (e[i] - e[0]); // and falling elsewhere
        }
        assertThatThrownBy(() -> E0Finder.find(e, mu))
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.EDGE_NOT_FOUND);
    }

    @Test
    void calibrationShiftMovesTheReferenceEdgeOntoTheTable() throws Exception {
        double[] e = feEnergy();
        double[] foil = edgeMu(e, 7108.0, 2.0); // foil edge 4 eV low
        double[] sample = edgeMu(e, 7120.0, 1.0);
        double shift = EnergyCalibration.shiftFromReference(e, foil, 7112.0);
        assertThat(shift).isEqualTo(4.0);
        PreprocessedSpectrum p = Preprocessor.preprocess(e, sample, foil, "Fe", Edge.K,
                PreprocessingSpec.defaults(null));
        assertThat(p.energyShift()).isEqualTo(4.0);
        assertThat(p.normalization().e0()).isCloseTo(7124.0, within(1e-9));
        assertThat(p.modelInput()).isNull();
    }
}
