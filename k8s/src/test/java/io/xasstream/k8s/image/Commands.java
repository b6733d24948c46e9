package io.xasstream.k8s.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end with a time limit, both output streams read concurrently. */
final class Commands {
    private Commands() {
    }

    static ProcessResult run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command + "\n" + err.join());
        }
        return new ProcessResult(p.exitValue(), out.join(), err.join());
    }

    /** Runs a command that must succeed within two minutes. */
    static ProcessResult check(List<String> command) throws IOException, InterruptedException {
        ProcessResult r = run(command, 120);
        if (r.exitCode() != 0) {
            throw new AssertionError(command + " failed: " + r.output());
        }
        return r;
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        });
    }
}
