package io.xasstream.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** A demo started in a test: its command line, what it prints, and a wait for a line of it. */
public final class DemoOutput {
    public final StringWriter out = new StringWriter();
    public final StringWriter err = new StringWriter();
    public final CommandLine commandLine = Main.commandLine();

    public DemoOutput() {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    /**
     * {@code demo} with free ports (other engineers' demos may run on this machine), the repository's models on
     * the CPU, then {@code more} (e.g. {@code --duration}, further {@code --set}s).
     */
    public int run(String... more) {
        Path manifest = Path.of(System.getProperty("xasstream.repo.root", "../.."), "models/manifest.json");
        List<String> args = new ArrayList<>(List.of("demo", "--set", "management.port=0", "--set",
                "monitor.http.port=0", "--set", "models.manifest=" + manifest, "--set",
                "inference.execution-provider=cpu"));
        args.addAll(List.of(more));
        return commandLine.execute(args.toArray(String[]::new));
    }

    /** The first group of {@code p} in the demo's output, within 120 s (an AssertionError with the output if not). */
    public String await(Future<?> demo, Pattern p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            if (demo.isDone()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("demo did not print " + p + "; output so far:\n" + out + "\nerrors:\n" + err);
    }
}
