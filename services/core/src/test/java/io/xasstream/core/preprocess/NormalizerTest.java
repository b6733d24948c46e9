package io.xasstream.core.preprocess;

import io.xasstream.core.preprocess.NormalizationResult.E0Source;
import org.junit.jupiter.api.Test;

import static io.xasstream.core.preprocess.SyntheticSpectra.feEnergy;
import static io.xasstream.core.preprocess.SyntheticSpectra.feMu;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NormalizerTest {

    @Test
    void larchDefaultsResolveToLarchRules() throws Exception {
        NormalizationResult r = Normalizer.normalize(feEnergy(), feMu(), NormalizationParams.LARCH_DEFAULTS);
        NormalizationParams p = r.resolved();
        assertThat(r.e0Source()).isEqualTo(E0Source.DERIVATIVE_MAX);
        assertThat(r.e0()).isEqualTo(7112.0);
        // ie0 = 81 > 20: pre1 = 5*round((6952-7112)/5) = -160; pre2 = 5*round(-160/15) = -55
        assertThat(p.pre1()).isEqualTo(-160.0);
        assertThat(p.pre2()).isEqualTo(-55.0);
        // norm2 = 5*round(488/5) = 490 -> capped at 488; norm1 = min(150, 5*round(488/15)) = 150; 338 < 350 -> 1
        assertThat(p.norm2()).isEqualTo(488.0);
        assertThat(p.norm1()).isEqualTo(150.0);
        assertThat(p.nnorm()).isEqualTo(1);
        assertThat(p.nvict()).isZero();
        assertThat(p.step()).isEqualTo(r.edgeStep());
        assertThat(r.edgeStep()).isCloseTo(1.2, within(0.05));
        assertThat(r.norm()[r.e0Index()]).isBetween(0.3, 0.7);
        assertThat(r.flatCurve()).isNotNull();
    }

    @Test
    void rerunningWithTheResolvedParametersReproducesTheResult() throws Exception {
        NormalizationResult a = Normalizer.normalize(feEnergy(), feMu(), NormalizationParams.LARCH_DEFAULTS);
        NormalizationResult b = Normalizer.normalize(feEnergy(), feMu(), a.resolved());
        assertThat(b.e0Source()).isEqualTo(E0Source.FIXED);
        assertThat(b.e0()).isEqualTo(a.e0());
        assertThat(b.norm()).containsExactly(a.norm());
        assertThat(b.flat()).containsExactly(a.flat());
    }

    @Test
    void fixedE0SnapsToTheNearestPointAndOutOfRangeIsFoundAsLarchDoes() throws Exception {
        NormalizationResult r = Normalizer.normalize(feEnergy(), feMu(),
                NormalizationParams.LARCH_DEFAULTS.withE0(7120.7));
        assertThat(r.e0Source()).isEqualTo(E0Source.FIXED);
        assertThat(r.e0()).isEqualTo(7120.0);
        NormalizationResult out = Normalizer.normalize(feEnergy(), feMu(),
                NormalizationParams.LARCH_DEFAULTS.withE0(9000.0));
        assertThat(out.e0Source()).isEqualTo(E0Source.DERIVATIVE_MAX);
        assertThat(out.e0()).isEqualTo(7112.0);
    }

    @Test
    void explicitParametersAreUsedAsGiven() throws Exception {
        NormalizationParams p = NormalizationParams.LARCH_DEFAULTS.withPre(-50.0, -150.0).withNorm(100.0, 400.0)
                .withNnorm(2).withNvict(2).withStep(2.0).withMakeFlat(false);
        NormalizationResult r = Normalizer.normalize(feEnergy(), feMu(), p);
        assertThat(r.resolved().pre1()).isEqualTo(-150.0); // swapped, as Larch does
        assertThat(r.resolved().pre2()).isEqualTo(-50.0);
        assertThat(r.resolved().nnorm()).isEqualTo(2);
        assertThat(r.edgeStep()).isEqualTo(2.0);
        assertThat(r.flatCurve()).isNull();
        assertThat(r.flat()).containsExactly(r.norm());
        // nvict = 2: the pre-edge line is fitted to mu*E^2, so the curve is line(E)/E^2
        double e = 7000;
        assertThat(r.preEdgeAt(e)).isCloseTo(r.preEdge().value(e) / (e * e), within(1e-12));
        double mu0 = feMu()[0];
        assertThat(r.norm()[0]).isCloseTo((mu0 - r.preEdgeAt(feEnergy()[0])) / 2.0, within(1e-12));
    }

    @Test
    void flatEqualsNormBelowE0() throws Exception {
        NormalizationResult r = Normalizer.normalize(feEnergy(), feMu(), NormalizationParams.LARCH_DEFAULTS);
        for (int i = 0; i < r.e0Index(); i++) {
            assertThat(r.flat()[i]).isEqualTo(r.norm()[i]);
        }
    }

    @Test
    void inputArraysAreNotModified() throws Exception {
        double[] e = feEnergy();
        double[] mu = feMu();
        Normalizer.normalize(e, mu, NormalizationParams.LARCH_DEFAULTS);
        assertThat(e).containsExactly(feEnergy());
        assertThat(mu).containsExactly(feMu());
    }

    @Test
    void tinyEnergyStepsAreSpreadAsLarchRemoveDupsDoes() {
        double[] e = {1.0, 2.0, 2.0 + 1e-9, 3.0};
        double[] r = LarchIndex.removeDups(e);
        assertThat(r[2]).isEqualTo(2.0 + 1e-7);
        double[] clean = feEnergy();
        assertThat(LarchIndex.removeDups(clean)).isSameAs(clean); // no copy when nothing changes
    }

    @Test
    void larchIndexHelpers() {
        double[] a = {1, 2, 3, 4};
        assertThat(LarchIndex.indexOf(a, 0.5)).isZero();
        assertThat(LarchIndex.indexOf(a, 2.0)).isEqualTo(1);
        assertThat(LarchIndex.indexOf(a, 2.9)).isEqualTo(1);
        assertThat(LarchIndex.indexOf(a, 9)).isEqualTo(3);
        assertThat(LarchIndex.indexNearest(a, 2.5)).isEqualTo(1); // first on ties, as numpy argmin
        assertThat(LarchIndex.indexNearest(a, 2.6)).isEqualTo(2);
    }
}
