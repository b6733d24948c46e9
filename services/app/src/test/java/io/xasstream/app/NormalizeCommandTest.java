package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `normalize` prints what Larch computes, per file as given, and goes on past a file it cannot normalise. */
class NormalizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));

    @Test
    void jsonLinesCarryE0StepParametersAndNormalisedMuAndAnErrorObjectForAnUnusableFile() throws Exception {
        String fe = ROOT.resolve("services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi").toString();
        String fdmnes = ROOT.resolve("services/common/src/test/resources/fixtures/spectra/mno2_fdmnes.txt").toString();
        JsonNode larch = JSON.readTree(ROOT.resolve("services/core/src/test/resources/larch/fixtures/fe2o3_i0_i1.json")
                .toFile());

        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        int code = cl.execute("normalize", "--json", "--grid", "-20:60:0.5", fdmnes, fe);

        assertThat(code).isEqualTo(1);
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode err = JSON.readTree(lines[0]);
        assertThat(err.get("file").asText()).isEqualTo(fdmnes);
        assertThat(err.get("error").asText()).isEqualTo("UNKNOWN_ELEMENT");

        JsonNode r = JSON.readTree(lines[1]);
        assertThat(r.get("file").asText()).isEqualTo(fe);
        assertThat(r.get("e0").asDouble()).isCloseTo(larch.get("e0").asDouble(), within(1e-9));
        assertThat(r.get("edgeStep").asDouble()).isCloseTo(larch.get("edge_step").asDouble(), within(1e-9));
        assertThat(r.get("parameters").get("pre1").asDouble())
                .isEqualTo(larch.get("pre_edge_details").get("pre1").asDouble());
        assertThat(r.get("parameters").get("nnorm").asInt()).isEqualTo(2);
        assertThat(r.get("norm")).hasSize(larch.get("norm").size());
        for (int i = 0; i < r.get("norm").size(); i++) {
            assertThat(r.get("norm").get(i).asDouble()).isCloseTo(larch.get("norm").get(i).asDouble(), within(1e-9));
        }
        assertThat(r.get("grid").get("energy")).hasSize(161);
        assertThat(r.get("grid").get("values")).hasSize(161);
        assertThat(r.get("grid").get("values").get(160).asDouble()).isCloseTo(1.0, within(0.2));
    }

    @Test
    void theElementCanBeGivenForFilesWithoutHeader() {
        String fdmnes = ROOT.resolve("services/common/src/test/resources/fixtures/spectra/mno2_fdmnes.txt").toString();
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("normalize", "--element", "Mn", fdmnes)).isZero();
        assertThat(out.toString()).startsWith(fdmnes + ": Mn K e0=");
    }
}
