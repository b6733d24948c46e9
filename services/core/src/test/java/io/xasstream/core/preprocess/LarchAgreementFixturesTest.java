package io.xasstream.core.preprocess;

import io.xasstream.core.edges.Edge;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agreement with Larch 0.9.58 on the committed fixture spectra (services/common/src/test/resources/fixtures/spectra).
 * Vectors regenerated with {@code /usr/bin/python3 models/training/xasprep/larch_reference.py --compact
 * --in services/common/src/test/resources/fixtures/spectra --out services/core/src/test/resources/larch/fixtures}.
 */
class LarchAgreementFixturesTest {

    private static List<LarchVector> vectors() throws Exception {
        URL dir = LarchAgreementFixturesTest.class.getClassLoader().getResource("larch/fixtures");
        assertThat(dir).as("test resources larch/fixtures").isNotNull();
        return LarchVector.readAll(Path.of(dir.toURI()));
    }

    @Test
    void fixtureSpectraAgreeWithLarch() throws Exception {
        LarchAgreement.checkAll("fixture spectra", vectors());
    }

    @Test
    void fixtureSpectraPassTheWholeStageWithTheDefaultEdgeWindow() throws Exception {
        for (LarchVector v : vectors()) {
            if (v.element() == null) {
                continue; // FDMNES text output carries no element
            }
            PreprocessedSpectrum p = Preprocessor.preprocess(v.energy(), v.mu(), v.element(),
                    Edge.parse(v.edge()), PreprocessingSpec.defaults(null));
            assertThat(p.normalization().e0()).as(v.name()).isEqualTo(v.e0());
        }
    }

    @Test
    void referenceFoilE0IsLarchFindE0() throws Exception {
        int checked = 0;
        for (LarchVector v : vectors()) {
            if (v.referenceMu() == null) {
                continue;
            }
            double shift = EnergyCalibration.shiftFromReference(v.energy(), v.referenceMu(), 0.0);
            assertThat(-shift).as("%s reference-foil E0", v.name()).isEqualTo(v.referenceE0());
            checked++;
        }
        assertThat(checked).as("fixtures with a reference-foil channel").isPositive();
    }
}
