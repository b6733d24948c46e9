package io.xasstream.monitor;

import io.xasstream.schema.result.InferenceResult;

/** Lets tests in other packages build the synthetic Cu results. */
public final class SyntheticResultsAccess {
    private final SyntheticResults cu = new SyntheticResults("exp-cmp", "cuo-1", 3);

    public SyntheticResultsAccess() {
        cu.oodRate = 0;
    }

    /** A Cu2+ result (sample exp-cmp/cuo-1), spectrum id cuo-1-NNNNN. */
    public InferenceResult cu2(int index) {
        return cu.result(index, 0, 0, 1, SyntheticResults.temperature(25));
    }
}
