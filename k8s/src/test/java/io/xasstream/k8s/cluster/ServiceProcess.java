package io.xasstream.k8s.cluster;

import io.xasstream.k8s.RepoPaths;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An xasstream service in its own JVM ({@code ./xasstream run}), as a pod runs it: killable with SIGKILL. */
public final class ServiceProcess implements AutoCloseable {
    private static final Pattern MANAGEMENT = Pattern.compile("management on (http://[0-9.:]+)");

    private final String name;
    private final Process process;
    private final Path log;
    private boolean stopping;

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code run --services SERVICES} against the cluster with the given --set NAME=VALUE settings. */
    public static ServiceProcess run(String name, Path dir, String bootstrap, String services, String... settings)
            throws IOException {
        return run(name, dir, bootstrap, services, Map.of(), settings);
    }

    /** As {@link #run(String, Path, String, String, String...)}, with environment variables (e.g. secrets). */
    public static ServiceProcess run(String name, Path dir, String bootstrap, String services, Map<String, String> env,
                              String... settings) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", RepoPaths.repo("services/app/target/xasstream.jar").toString(),
                "run", "-b", bootstrap, "--services", services,
                "--set", "models.manifest=" + RepoPaths.repo("models/manifest.json"),
                "--set", "management.port=0", "--set", "monitor.http.port=0",
                "--set", "inference.execution-provider=cpu", "--set", "topics.create=false"));
        for (String s : settings) {
            cmd.add("--set");
            cmd.add(s);
        }
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ServiceProcess(name, pb.start(), log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no transaction committed or aborted, no consumer leaving its group. */
    public void kill() throws InterruptedException {
        reportCpu();
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " did not die");
        }
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The management server's base URL, once the service printed it. */
    String managementUrl(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = MANAGEMENT.matcher(log());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited:\n" + log());
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " printed no management URL:\n" + log());
    }

    /** Waits until /ready answers 200 (models loaded, the loop subscribed). */
    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited:\n" + log());
            }
            try {
                if (get("/ready").startsWith("200")) {
                    return;
                }
            } catch (IOException | AssertionError e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + " not ready:\n" + log());
    }

    String get(String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(managementUrl(Duration.ofSeconds(5))
                + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    /**
     * SIGTERM to every one at once, so that they stop side by side (close() then waits for each): a pod's graceful
     * stop, without one service's stop waiting for another's.
     */
    public static void terminate(ServiceProcess... services) {
        for (ServiceProcess s : services) {
            s.signalStop();
        }
    }

    /** The CPU time the process used so far, printed: where a cluster test's minutes go. */
    void reportCpu() {
        process.info().totalCpuDuration().ifPresent(cpu ->
                System.out.printf("%s: %.1f s CPU%n", name, cpu.toMillis() / 1000.0));
    }

    private void signalStop() {
        if (process.isAlive() && !stopping) {
            stopping = true;
            reportCpu();
            process.destroy();
        }
    }

    @Override
    public void close() {
        signalStop();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
