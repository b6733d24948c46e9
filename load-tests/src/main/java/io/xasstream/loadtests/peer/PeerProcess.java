package io.xasstream.loadtests.peer;

import io.xasstream.loadtests.OutputPump;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Python peer ({@code load-tests/peer/peer.py}) as a child process of the benchmark: Debian's
 * {@code /usr/bin/python3}, its output in a log file, ready when it says so, stopped by SIGTERM (it then commits
 * what it answered), its CPU time read from {@code /proc}.
 */
public final class PeerProcess implements AutoCloseable {
    public static final String PYTHON = "/usr/bin/python3";
    /** The Debian modules the peer imports. */
    private static final String MODULES = "confluent_kafka, avro, torch, onnx, numpy";
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private final Process process;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Thread pump;

    private PeerProcess(Process process, Path log) {
        this.process = process;
        this.pump = OutputPump.start(process, log, "bench-peer-out", line -> {
            if (line.startsWith("peer ready")) {
                System.out.println("python " + line + " (log " + log + ")");
                ready.countDown();
            }
        }, () -> { });
    }

    /** Why the peer cannot run here (no Debian Python or a module missing), or empty. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return Optional.of(PYTHON + " not found");
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import " + MODULES).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of(PYTHON + " cannot import " + MODULES + " (apt-get install python3-confluent-kafka "
                        + "python3-avro python3-torch python3-onnx python3-numpy): " + out.strip());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** The peer script of this repository. */
    public static Path script(Path repo) {
        return repo.resolve("load-tests/peer/peer.py");
    }

    /** Starts {@code peer.py ARGS} and waits until it has its models and partitions. */
    public static PeerProcess start(Path repo, List<String> args, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script(repo).toString()));
        command.addAll(args);
        PeerProcess peer = new PeerProcess(new ProcessBuilder(command).directory(repo.toFile())
                .redirectErrorStream(true).start(), log);
        while (!peer.ready.await(1, TimeUnit.SECONDS)) {
            if (!peer.process.isAlive()) {
                throw new IllegalStateException("the peer stopped before it was ready (exit " + peer.process
                        .exitValue() + "): see " + log);
            }
        }
        return peer;
    }

    /** CPU time of the whole peer process (all its threads, torch's included) so far. */
    public long cpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Waits until the peer exits by itself (--stop-after); false on timeout. */
    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the peer commits and leaves its group
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5_000);
    }
}
