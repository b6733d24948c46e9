package io.xasstream.loadtests.pipeline;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** CPU by thread (from {@link ThreadCpu}) summed by the stage each thread serves. */
final class Stages {
    private Stages() {
    }

    /**
     * The stage of a thread, by name: the measured program's own stages (poll, ONNX, commit; "java" is how ONNX
     * Runtime's native pool threads are named), the broker, the JVM's own work (GC, JIT), and the measuring code.
     */
    static String of(String thread) {
        String t = thread.toLowerCase(Locale.ROOT);
        if (t.startsWith("inference-poll") || t.startsWith("floor-poll") || t.contains("heartbeat-thread | xas")) {
            return "poll";
        }
        if (t.startsWith("inference-infer") || t.equals("java")) {
            return "onnx";
        }
        if (t.startsWith("inference-commit") || t.startsWith("floor-commit")
                || t.contains("producer-network-thread | xasstream-inference")
                || t.contains("producer-network-thread | xasstream-floor")) {
            return "commit";
        }
        if (t.startsWith("gc ") || t.startsWith("g1 ") || t.contains("compilerthread") || t.startsWith("vm ")
                || t.startsWith("c1 ") || t.startsWith("c2 ") || t.equals("sweeper thread")) {
            return "jvm";
        }
        if (t.startsWith("main") || t.startsWith("bench") || t.startsWith("loadgen") || t.contains("reader")
                || t.contains("| xasstream-bench") || t.contains("| xasstream-loadgen")) {
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
