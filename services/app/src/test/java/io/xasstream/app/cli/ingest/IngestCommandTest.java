package io.xasstream.app.cli.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.app.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The ingest command line before any connection: subcommands, --since spellings, and errors that name the cause. */
class IngestCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void ingestListsItsThreeSources() {
        String[] r = run("ingest");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("bluesky").contains("karabo").contains("tiled");
    }

    @Test
    void sinceTakesAnInstantADateOrEpochSeconds() {
        assertThat(TiledCommand.parseSince("2026-03-01T12:00:00Z")).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
        assertThat(TiledCommand.parseSince("2026-03-01")).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(TiledCommand.parseSince("1772366400.5")).isEqualTo(Instant.parse("2026-03-01T12:00:00.500Z"));
        assertThatThrownBy(() -> TiledCommand.parseSince("last tuesday")).hasMessageContaining("--since");
    }

    @Test
    void aBadRegexOrABadProfileIsAnArgumentErrorNotAStackTrace(@TempDir Path dir) throws Exception {
        String[] regex = run("ingest", "bluesky", "--topics", "[", "-b", "127.0.0.1:1");
        assertThat(regex[0]).isEqualTo("2");
        assertThat(regex[2]).contains("--topics");
        Path profile = dir.resolve("p.yaml");
        Files.writeString(profile, "itrns: It\n");
        String[] bad = run("ingest", "tiled", "--catalog", "bmm/raw", "--url", "http://127.0.0.1:1", "--profile",
                profile.toString(), "-b", "127.0.0.1:1");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2]).contains("itrns");
    }
}
