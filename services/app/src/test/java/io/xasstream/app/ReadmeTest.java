package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README documents every setting exactly as the code declares it, and its two commands. */
class ReadmeTest {
    private static String readme() throws Exception {
        return Files.readString(Path.of(System.getProperty("xasstream.repo.root", "../.."), "README.md"));
    }

    @Test
    void everySettingRowOfConfigMarkdownIsInTheReadme() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("config", "--markdown")).isZero();
        String readme = readme();
        for (String row : out.toString().strip().split("\n")) {
            assertThat(readme).as("README is missing (or has an outdated) settings row; regenerate with "
                    + "'./xasstream config --markdown'").contains(row.strip());
        }
    }

    @Test
    void theReadmeGivesTheRunAndTheTestCommand() throws Exception {
        assertThat(readme()).contains("./xasstream demo").contains("mvn -B verify");
    }
}
