package io.xasstream.loadtests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Copies a child process's output, line by line, into a log file and shows each line to a watcher. */
public final class OutputPump {
    private OutputPump() {
    }

    /** A started daemon thread that pumps until the process closes its output; then {@code ended} runs. */
    public static Thread start(Process process, Path log, String threadName, Consumer<String> watcher,
                               Runnable ended) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    out.println(line);
                    out.flush();
                    watcher.accept(line);
                }
            } catch (IOException e) {
                // the process ended; its exit value tells the rest
            } finally {
                ended.run();
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
