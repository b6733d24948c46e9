package io.xasstream.loadtests.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of this process's threads grouped by name, from Linux {@code /proc/self/task}: it sees ONNX Runtime's
 * native threads too, which the JVM's thread MX bean does not. Numbers in nanoseconds; empty elsewhere than Linux.
 */
final class ThreadCpu {
    private static final long TICK_NANOS = 10_000_000L; // USER_HZ = 100 on Linux

    private ThreadCpu() {
    }

    static Map<String, Long> byName() {
        Map<String, Long> out = new HashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return out;
        }
        try (Stream<Path> list = Files.list(tasks)) {
            list.forEach(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
                    out.merge(group(name), ticks * TICK_NANOS, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between listing and reading
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    static Map<String, Long> since(Map<String, Long> before) {
        Map<String, Long> now = byName();
        Map<String, Long> out = new HashMap<>();
        now.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
        out.values().removeIf(v -> v <= 0);
        return out;
    }

    /** Kafka's numbered threads collapse into one group each ("data-plane-kafka-request-handler-N" ...). */
    private static String group(String name) {
        return name.replaceAll("\\d+", "N");
    }
}
