package io.xasstream.inference.loop;

/** The live model set, which a hot swap may replace between two batches. */
public interface ModelSource {
    /** The model set a new batch goes to. */
    ModelSet modelSet();

    /** Closes model sets replaced by a swap; the inferrer calls it once no batch can still use them. */
    void closeRetired();
}
