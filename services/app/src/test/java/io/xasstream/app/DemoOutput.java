package io.xasstream.app;

import java.io.StringWriter;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a demo started in a test prints: waits for a line of it. */
public final class DemoOutput {
    private DemoOutput() {
    }

    /** The first group of {@code p} in the demo's output, within 120 s (an AssertionError with the output if not). */
    public static String await(StringWriter out, StringWriter err, Future<?> demo, Pattern p)
            throws InterruptedException {
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
