package io.xasstream.loadtests.pipeline;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** PipelineBenchmark's options for what it measures beside the pipeline ({@link SameRunComparison}). */
public final class SameRunOptions {
    @Option(names = "--peer-backlog", defaultValue = "5000", description = "Spectra of the backlog the Python peer "
            + "answers (timed like the pipeline's backlog).")
    int peerBacklog;

    @Option(names = "--no-peer", description = "Do not run the Python peer.")
    boolean noPeer;

    @Option(names = "--compare-warmup", defaultValue = "10", description = "Unmeasured paced seconds before each "
            + "open-model paced run (xasstream, then the peer).")
    int warmup;

    @Option(names = "--peer-option", description = "An option for peer.py (repeatable).")
    List<String> peerOptions = new ArrayList<>();

    /** With the benchmark's own paced rate and seconds. */
    SameRunComparison.Options options(double rate, int seconds, int backlog) {
        return new SameRunComparison.Options(Math.min(peerBacklog, backlog), rate, seconds, warmup, !noPeer,
                List.copyOf(peerOptions));
    }
}
