package io.xasstream.loadtests.loadgen;

/** What a run measures: something that answers the spectra topic, started for the run and stopped after it. */
public interface Target extends AutoCloseable {
    /** Its name in the reports ("xasstream", "python peer"). */
    String name();

    /** A reader of its answers, positioned after everything older than now. */
    LoadRun.Source answers();

    @Override
    void close() throws Exception;
}
