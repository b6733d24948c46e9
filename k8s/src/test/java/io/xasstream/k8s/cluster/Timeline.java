package io.xasstream.k8s.cluster;

/** Prints what a cluster test does and when, so that its log says where its minutes go. */
final class Timeline {
    private final String name;
    private final long start = System.nanoTime();

    Timeline(String name) {
        this.name = name;
    }

    void mark(String what) {
        System.out.printf("[%s +%6.1f s] %s%n", name, (System.nanoTime() - start) / 1e9, what);
    }
}
