package io.xasstream.inference.predict;

import io.xasstream.schema.result.OodEstimate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OOD scores of the models that answered one spectrum, gathered task by task: each task's own estimate, and
 * the result's overall one — the worst score relative to its threshold, flagged when any task is.
 */
final class OodSummary {
    private final Map<String, OodEstimate> byTask = new LinkedHashMap<>();
    private OodEstimate worst;

    void add(String task, double score, double threshold, boolean flagged) {
        byTask.put(task, estimate(score, threshold, flagged));
        // a flagged task outranks an unflagged one; among equals the higher score relative to its threshold wins
        if (worst == null || flagged && !worst.getFlagged()
                || score / threshold > worst.getScore() / worst.getThreshold()) {
            worst = estimate(score, threshold, flagged || worst != null && worst.getFlagged());
        }
    }

    Map<String, OodEstimate> byTask() {
        return byTask;
    }

    /** The overall estimate; adds NO_OOD_SCORE (no model scored) or OUT_OF_DISTRIBUTION (flagged) to the flags. */
    OodEstimate overall(List<String> flags) {
        if (worst == null) {
            // No OOD score for this edge: say so rather than claim the spectrum is in distribution.
            flags.add("NO_OOD_SCORE");
            return estimate(Double.NaN, Double.NaN, false);
        }
        if (worst.getFlagged()) {
            flags.add("OUT_OF_DISTRIBUTION");
        }
        return worst;
    }

    private static OodEstimate estimate(double score, double threshold, boolean flagged) {
        return OodEstimate.newBuilder().setScore(score).setThreshold(threshold).setFlagged(flagged).build();
    }
}
