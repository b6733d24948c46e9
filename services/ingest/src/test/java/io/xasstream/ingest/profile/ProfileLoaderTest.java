package io.xasstream.ingest.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundled BMM-like profile, a site profile merged over it, and the errors a typo gets. */
class ProfileLoaderTest {

    @Test
    void theDefaultIsBmmLike() {
        Profile p = ProfileLoader.defaults();
        assertThat(p.energy()).containsExactly("dcm_energy", "start:hints.dimensions", "start:motors[0]");
        assertThat(p.i0()).isEqualTo("I0");
        assertThat(p.itrans()).isEqualTo("It");
        assertThat(p.irefer()).isEqualTo("Ir");
        assertThat(p.element()).startsWith("XDI.Element.symbol");
        assertThat(p.experiment()).startsWith("data_session");
        assertThat(p.karabo().mode()).isEqualTo(Profile.KaraboMode.SPECTROMETER);
        assertThat(p.tiled().table()).isEqualTo("internal");
    }

    @Test
    void aSiteProfileOverridesOnlyWhatItNames(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("qas.yaml");
        Files.writeString(f, """
                name: qas
                beamline: QAS
                energy: [energy]
                energy-unit: keV
                itrans: it
                ifluor: [pips, xs_ch1, xs_ch2]
                karabo: {mode: scan, bin-ev: 0.25}
                """);
        Profile p = ProfileLoader.load(f);
        assertThat(p.name()).isEqualTo("qas");
        assertThat(p.energy()).containsExactly("energy");
        assertThat(p.energyUnit()).isEqualTo("keV");
        assertThat(p.ifluor()).containsExactly("pips", "xs_ch1", "xs_ch2");
        assertThat(p.i0()).isEqualTo("I0");
        assertThat(p.karabo().mode()).isEqualTo(Profile.KaraboMode.SCAN);
        assertThat(p.karabo().binEv()).isEqualTo(0.25);
        assertThat(p.karabo().xgm().source()).isEqualTo("SA3_XTD10_XGM/XGM/DOOCS:output");
    }

    @Test
    void typosAndBadValuesNameTheKey() {
        assertThatThrownBy(() -> ProfileLoader.fromYaml("itrns: It")).hasMessageContaining("unknown key(s) [itrns]");
        assertThatThrownBy(() -> ProfileLoader.fromYaml("energy-unit: MeV")).hasMessageContaining("energy-unit")
                .hasMessageContaining("MeV");
        assertThatThrownBy(() -> ProfileLoader.fromYaml("karabo: {mode: pump-probe}"))
                .hasMessageContaining("karabo.mode");
        assertThatThrownBy(() -> ProfileLoader.fromYaml("karabo: {xgm: {source: X, pth: y}}"))
                .hasMessageContaining("karabo.xgm").hasMessageContaining("pth");
        assertThatThrownBy(() -> ProfileLoader.fromYaml("- a list")).hasMessageContaining("mapping");
    }

    @Test
    void theSampleProfileInTheReadmeLoads(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("xasstream.repo.root", "../.."), "README.md"));
        int section = readme.indexOf("### Profiles");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Path f = dir.resolve("site.yaml");
        Files.writeString(f, yaml);
        Profile p = ProfileLoader.load(f);
        assertThat(p.energyUnit()).isEqualTo("keV");
        assertThat(p.conditions()).containsKeys("temperature", "flow");
        assertThat(p.karabo().mode()).isEqualTo(Profile.KaraboMode.SCAN);
    }
}
