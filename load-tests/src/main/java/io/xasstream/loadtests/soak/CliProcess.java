package io.xasstream.loadtests.soak;

import io.xasstream.loadtests.OutputPump;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code ./xasstream} command as its own process (the CLI's launcher execs the JVM, so its pid is the JVM's):
 * its output in a log file, a value read from its first matching line, its ERROR log lines counted, stopped with
 * SIGTERM as an operator would.
 */
final class CliProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Pattern wanted;
    private final CompletableFuture<String> found = new CompletableFuture<>();
    private final AtomicLong errors = new AtomicLong();
    private final Thread pump;

    private CliProcess(String name, Process process, Pattern wanted, Path log) {
        this.name = name;
        this.process = process;
        this.wanted = wanted;
        this.pump = OutputPump.start(process, log, "bench-" + name, this::watch,
                () -> found.completeExceptionally(new IllegalStateException(name + " ended")));
    }

    /**
     * Starts {@code command} in {@code dir} and waits for its first output line matching {@code wanted}.
     *
     * @return the process; {@link #value()} is the pattern's first group
     */
    static CliProcess start(String name, List<String> command, Path dir, Pattern wanted, Path log, long timeoutSeconds)
            throws IOException, InterruptedException {
        CliProcess p = new CliProcess(name, new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).start(), wanted, log);
        try {
            p.found.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            p.close();
            throw new IllegalStateException(name + " did not start (no line matching " + wanted + " within "
                    + timeoutSeconds + " s): see " + log);
        }
        return p;
    }

    private void watch(String line) {
        if (isError(line)) {
            errors.incrementAndGet();
        }
        Matcher m = wanted.matcher(line);
        if (!found.isDone() && m.find()) {
            found.complete(m.group(1));
        }
    }

    /** A log line at ERROR level (the services' pattern: time, level, logger). */
    static boolean isError(String line) {
        return line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*");
    }

    String value() {
        return found.join();
    }

    long pid() {
        return process.pid();
    }

    long errorLines() {
        return errors.get();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5_000);
    }
}
