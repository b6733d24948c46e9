package io.xasstream.loadtests.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** CPU by thread (from {@link ThreadCpu}) summed by the stage each thread serves. */
final class Stages {
    private Stages() {
    }

    /**
     * The stage of a thread, by its Linux name (15 characters at most, digits already replaced by N): the measured
     * program's poll, ONNX and commit stages ("java" is how ONNX Runtime's pool threads are named; during a timed
     * backlog the only busy producer is the committing one), the broker, the JVM's own work (GC, JIT) and the
     * measuring code.
     */
    static String of(String thread) {
        String t = thread.toLowerCase(Locale.ROOT);
        if (t.startsWith("inference-poll") || t.startsWith("floor-poll") || t.startsWith("kafka-coordinat")) {
            return "poll";
        }
        if (t.startsWith("inference-infer") || t.equals("java")) {
            return "onnx";
        }
        if (t.startsWith("inference-comm") || t.startsWith("floor-commit") || t.startsWith("kafka-producer-")) {
            return "commit";
        }
        if (t.startsWith("gc ") || t.startsWith("g1 ") || t.contains("compilerthre") || t.startsWith("vm ")
                || t.startsWith("sweeper") || t.startsWith("service thread") || t.startsWith("monitor deflati")) {
            return "jvm";
        }
        if (t.equals("main") || t.startsWith("bench") || t.startsWith("loadgen") || t.endsWith("-reader")) {
            return "measuring";
        }
        return "broker";
    }

    /** Nanoseconds by stage, stages in a fixed order. */
    static Map<String, Long> group(Map<String, Long> byThread) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : new String[] {"poll", "onnx", "commit", "broker", "jvm", "measuring"}) {
            out.put(s, 0L);
        }
        byThread.forEach((t, ns) -> out.merge(of(t), ns, Long::sum));
        return out;
    }
}
