package io.xasstream.core.preprocess;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.Edge;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import static io.xasstream.core.preprocess.SyntheticSpectra.feEnergy;
import static io.xasstream.core.preprocess.SyntheticSpectra.feMu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One malformed spectrum per rejection reason, each sent through the preprocessing stage. */
class RejectionReasonsTest {

    private static final EnergyGrid GRID =
            EnergyGrid.strict(EnergyGrid.linspace(-30, 150, 181), EnergyGrid.Reference.RELATIVE_TO_E0);
    private static final PreprocessingSpec SPEC = PreprocessingSpec.defaults(GRID);

    private static void assertRejected(ReasonCode reason, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(SpectrumRejectedException.class)
                .satisfies(t -> assertThat(((SpectrumRejectedException) t).reason()).isEqualTo(reason));
    }

    private static PreprocessedSpectrum run(double[] e, double[] mu) throws SpectrumRejectedException {
        return Preprocessor.preprocess(e, mu, "Fe", Edge.K, SPEC);
    }

    @Test
    void wellFormedSpectrumPasses() throws Exception {
        PreprocessedSpectrum p = run(feEnergy(), feMu());
        assertThat(p.normalization().e0()).isBetween(7108.0, 7116.0);
        assertThat(p.modelInput()).hasSize(181);
    }

    @Test
    void tooFewPoints() {
        double[] e = SyntheticSpectra.energies(7100, 7118, 2); // 10 points
        assertRejected(ReasonCode.TOO_FEW_POINTS, () -> run(e, SyntheticSpectra.edgeMu(e, 7112, 1)));
    }

    @Test
    void nonMonotonicEnergy() {
        double[] e = feEnergy();
        double t = e[100];
        e[100] = e[101];
        e[101] = t;
        assertRejected(ReasonCode.NON_MONOTONIC_ENERGY, () -> run(e, feMu()));
    }

    @Test
    void duplicateEnergy() {
        double[] e = feEnergy();
        e[200] = e[199];
        assertRejected(ReasonCode.DUPLICATE_ENERGY, () -> run(e, feMu()));
    }

    @Test
    void nonFiniteValue() {
        double[] mu = feMu();
        mu[50] = Double.NaN;
        assertRejected(ReasonCode.NON_FINITE_VALUE, () -> run(feEnergy(), mu));
        double[] e = feEnergy();
        e[3] = Double.POSITIVE_INFINITY;
        assertRejected(ReasonCode.NON_FINITE_VALUE, () -> run(e, feMu()));
    }

    @Test
    void nonPositiveI0() {
        double[] mu = feMu();
        double[] i0 = new double[mu.length];
        double[] it = new double[mu.length];
        for (int i = 0; i < mu.length; i++) {
            i0[i] = 1e5;
            it[i] = 1e5 * Math.exp(-mu[i]);
        }
        i0[10] = 0.0;
        assertRejected(ReasonCode.NON_POSITIVE_I0, () -> MuFromChannels.transmission(i0, it));
        assertRejected(ReasonCode.NON_POSITIVE_I0, () -> MuFromChannels.fluorescence(i0, it));
    }

    @Test
    void edgeNotWithinTheElementsWindow() {
        // an Fe K edge (7112 eV) that claims to be Cu K (8979 eV)
        assertRejected(ReasonCode.EDGE_NOT_FOUND,
                () -> Preprocessor.preprocess(feEnergy(), feMu(), "Cu", Edge.K, SPEC));
    }

    @Test
    void noRisingEdgeAtAll() {
        double[] e = feEnergy();
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            mu[i] = 2.0 - 1e-3 * (e[i] - e[0]); // falls everywhere
        }
        assertRejected(ReasonCode.EDGE_NOT_FOUND, () -> run(e, mu));
    }

    @Test
    void nonPositiveEdgeStep() {
        // a sharp peak at 7112 eV (E0 on its rising side) and an absorption lower after it than before it
        double[] e = feEnergy();
        double[] mu = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            double x = e[i] - 7112;
            mu[i] = 1.0 + 2.0 * Math.exp(-x * x / 18.0) - 0.5 * (0.5 + Math.atan((x - 15) / 2.0) / Math.PI);
        }
        assertRejected(ReasonCode.NON_POSITIVE_EDGE_STEP, () -> run(e, mu));
    }

    @Test
    void gridNotCovered() {
        EnergyGrid wide = EnergyGrid.strict(EnergyGrid.linspace(-30, 800, 200), EnergyGrid.Reference.RELATIVE_TO_E0);
        assertRejected(ReasonCode.GRID_NOT_COVERED,
                () -> Preprocessor.preprocess(feEnergy(), feMu(), "Fe", Edge.K, SPEC.withGrid(wide)));
    }

    @Test
    void unknownElement() {
        assertRejected(ReasonCode.UNKNOWN_ELEMENT,
                () -> Preprocessor.preprocess(feEnergy(), feMu(), "Xx", Edge.K, SPEC));
        assertRejected(ReasonCode.UNKNOWN_ELEMENT, // an element, but no tabulated edges (Z 20-92 only)
                () -> Preprocessor.preprocess(feEnergy(), feMu(), "Na", Edge.K, SPEC));
    }

    @Test
    void lengthMismatch() {
        double[] mu = Arrays.copyOf(feMu(), feMu().length - 1);
        assertRejected(ReasonCode.LENGTH_MISMATCH, () -> run(feEnergy(), mu));
    }

    @Test
    void missingField() {
        assertRejected(ReasonCode.MISSING_FIELD, () -> run(new double[0], new double[0]));
        assertRejected(ReasonCode.MISSING_FIELD, () -> run(feEnergy(), null));
    }
}
