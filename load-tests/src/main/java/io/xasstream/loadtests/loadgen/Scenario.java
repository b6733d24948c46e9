package io.xasstream.loadtests.loadgen;

/** The load generator's scenarios. */
public enum Scenario {
    /** N beamlines, each 100 spectra/s as single Spectrum records. */
    QUICK_EXAFS,
    /** Trains of pulses at a train rate, each train one SpectrumBatch record. */
    XFEL,
    /** An archive replayed as fast as possible. */
    REPLAY
}
