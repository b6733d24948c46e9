package io.xasstream.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpectrumFileReaderTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(SpectrumFileReaderTest.class.getResource("/fixtures/spectra/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"coal2o4_fluor_xdi11.xdi", "cu2o_athena_mutrans.xdi", "cuo_i0_itrans_mutrans.xdi",
            "fe2o3_i0_i1.xdi", "mno2_fdmnes.txt", "ni_foil_i0_itrans_irefer.xdi", "nio_i0_itrans_irefer.xdi",
            "vo4_normtrans.xdi"})
    void everyCommittedFixtureGivesFiniteMuOnIncreasingEnergies(String name) throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture(name), name);
        assertThat(sf.source()).isEqualTo(name);
        assertThat(sf.mu()).hasSize(sf.energy().length);
        assertThat(sf.points()).isGreaterThan(100);
        for (int i = 0; i < sf.points(); i++) {
            assertThat(Double.isFinite(sf.mu()[i])).as("mu[%d]", i).isTrue();
            if (i > 0) {
                assertThat(sf.energy()[i]).isGreaterThan(sf.energy()[i - 1]);
            }
        }
    }

    @Test
    void transmissionChannelsGiveLnI0OverItransAndAReferenceMu() throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture("nio_i0_itrans_irefer.xdi"));
        assertThat(sf.muSource()).isEqualTo("ln(i0/itrans)");
        assertThat(sf.mode()).isEqualTo(SpectrumFile.Mode.TRANSMISSION);
        assertThat(sf.element()).contains("Ni");
        assertThat(sf.edge()).contains("K");
        double[] i0 = sf.channels().get("i0");
        double[] it = sf.channels().get("itrans");
        double[] ir = sf.channels().get("irefer");
        assertThat(sf.mu()[10]).isCloseTo(Math.log(i0[10] / it[10]), within(1e-12));
        assertThat(sf.referenceMu()[10]).isCloseTo(Math.log(it[10] / ir[10]), within(1e-12));
        assertThat(sf.conditions()).containsKey("temperature");
        assertThat(sf.conditions().get("temperature").unit()).isEqualTo("C");
    }

    @Test
    void i1IsReadAsTheTransmissionChannel() throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture("fe2o3_i0_i1.xdi"));
        assertThat(sf.muSource()).isEqualTo("ln(i0/i1)");
        assertThat(sf.referenceMu()).isNull();
    }

    @Test
    void fluorescenceIsIfluorOverI0() throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture("coal2o4_fluor_xdi11.xdi"));
        assertThat(sf.mode()).isEqualTo(SpectrumFile.Mode.FLUORESCENCE);
        double[] i0 = sf.channels().get("i0");
        double[] fl = sf.channels().get("ifluor");
        assertThat(sf.mu()[5]).isCloseTo(fl[5] / i0[5], within(1e-15));
    }

    @Test
    void aMuColumnIsPreferredOverRawChannels() throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture("cuo_i0_itrans_mutrans.xdi"));
        assertThat(sf.muSource()).isEqualTo("mutrans");
        assertThat(sf.channels()).containsKeys("i0", "itrans");
    }

    @Test
    void plainColumnsWithFdmnesHeaderLinesTakeTheSecondColumnAsMu() throws Exception {
        SpectrumFile sf = SpectrumFileReader.read(fixture("mno2_fdmnes.txt"));
        assertThat(sf.element()).isEmpty();
        assertThat(sf.muSource()).startsWith("column 2");
        assertThat(sf.energy()[0]).isGreaterThan(6000);
    }

    @Test
    void xdi11ColumnsWithEpicsPvSuffixesAndKeVEnergiesAreUnderstood() throws Exception {
        SpectrumFile sf = SpectrumFileReader.parse("v.xdi", List.of(
                "#XDI/1.1  Epics StepScan File / 2.0",
                "# Column.1: energy keV || 13BMA:E:Energy.VAL",
                "# Column.2: i0 counts || 13BMD:scaler1_calc2.VAL",
                "# Column.3: i1 counts || 13BMD:scaler1_calc3.VAL",
                "# Element.symbol:  v",
                "# Element.edge:  k",
                "#-----",
                "5.4000 1000 500", "5.4100 1000 400", "5.4200 1000 300"));
        assertThat(sf.energy()).containsExactly(5400.0, 5410.0, 5420.0);
        assertThat(sf.mu()[0]).isCloseTo(Math.log(2), within(1e-12));
        assertThat(sf.element()).contains("V");
        assertThat(sf.edge()).contains("K");
    }

    @Test
    void aNonNumericDataRowIsReportedWithFileAndLine() {
        assertThatThrownBy(() -> SpectrumFileReader.parse("bad.xdi", List.of(
                "# XDI/1.0", "# Column.1: energy eV", "# Column.2: mutrans", "#----",
                "8900 0.1", "8901 0.2", "8902 oops")))
                .isInstanceOf(SpectrumFileException.class)
                .hasMessageStartingWith("bad.xdi:7:")
                .hasMessageContaining("8902 oops");
    }

    @Test
    void aRowWithAnotherColumnCountIsReportedWithFileAndLine() {
        assertThatThrownBy(() -> SpectrumFileReader.parse("ragged.dat", List.of(
                "8900 0.1 3", "8901 0.2 3", "8902 0.3")))
                .isInstanceOf(SpectrumFileException.class)
                .hasMessage("ragged.dat:3: expected 3 columns as on line 1, found 2");
    }

    @Test
    void aFileWithoutDataRowsIsRefused() {
        assertThatThrownBy(() -> SpectrumFileReader.parse("empty.xdi", List.of("# XDI/1.0", "# Column.1: energy")))
                .isInstanceOf(SpectrumFileException.class).hasMessageContaining("empty.xdi").hasMessageContaining("no data");
    }

    @Test
    void aSingleColumnIsRefused() {
        assertThatThrownBy(() -> SpectrumFileReader.parse("one.dat", List.of("8900", "8901")))
                .isInstanceOf(SpectrumFileException.class).hasMessageContaining("one.dat:1");
    }

    @Test
    void i0WithoutAnyDetectorOrMuColumnIsRefused() {
        assertThatThrownBy(() -> SpectrumFileReader.parse("i0only.xdi", List.of(
                "# XDI/1.0", "# Column.1: energy eV", "# Column.2: i0", "#---", "8900 1", "8901 2")))
                .isInstanceOf(SpectrumFileException.class).hasMessageContaining("no mu column");
    }
}
