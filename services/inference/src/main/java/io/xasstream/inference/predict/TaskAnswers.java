package io.xasstream.inference.predict;

import io.xasstream.common.records.ModelTasks;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelOutput;
import io.xasstream.inference.model.TrustRule;
import io.xasstream.schema.result.InferenceResult;
import java.util.Map;

/** Per task, how a model's outputs become the result's estimate (with its verdict): one row of a table each. */
final class TaskAnswers {
    /** Writes one model's answer for one spectrum into the result being built. */
    @FunctionalInterface
    private interface Writer {
        void write(InferenceResult.Builder b, ModelManifest.Entry entry, ModelAnswer o, boolean ood);
    }

    private static final Map<String, Writer> BY_TASK = Map.of(
            ModelTasks.PDF, TaskAnswers::pdf,
            ModelTasks.CN, (b, e, o, ood) -> b.setCoordinationNumber(Estimates.classes(e.classes(),
                    o.get(ModelOutput.PROBABILITIES), o.get(ModelOutput.PROBABILITY_STD),
                    Verdicts.ofClasses(e.trust(), e.classes(), o.get(ModelOutput.PROBABILITIES), ood))),
            ModelTasks.OXIDATION, (b, e, o, ood) -> b.setOxidationState(Estimates.classes(e.classes(),
                    o.get(ModelOutput.PROBABILITIES), o.get(ModelOutput.PROBABILITY_STD),
                    Verdicts.ofClasses(e.trust(), e.classes(), o.get(ModelOutput.PROBABILITIES), ood))));

    private TaskAnswers() {
    }

    /** Writes the answer; false for a task this service does not know (the caller flags it). */
    static boolean write(InferenceResult.Builder b, ModelManifest.Entry entry, ModelAnswer o, boolean ood) {
        Writer w = BY_TASK.get(entry.task());
        if (w == null) {
            return false;
        }
        w.write(b, entry, o, ood);
        return true;
    }

    private static void pdf(InferenceResult.Builder b, ModelManifest.Entry e, ModelAnswer o, boolean ood) {
        TrustRule trust = e.trust();
        float[] mean = o.get(ModelOutput.PDF_MEAN);
        float[] std = o.get(ModelOutput.PDF_STD);
        b.setPdf(Estimates.pdf(e.curve().r(), mean, std, Verdicts.ofPdf(trust, mean, std, ood)));
        if (o.has(ModelOutput.DISTANCE_MEAN)) {
            double sd = o.scalar(ModelOutput.DISTANCE_STD);
            b.setFirstShellDistance(Estimates.scalar(o.scalar(ModelOutput.DISTANCE_MEAN), sd,
                    unit(e, "distance", "angstrom"), Verdicts.ofDistance(trust, sd, ood)));
        }
    }

    private static String unit(ModelManifest.Entry e, String key, String fallback) {
        return e.units() != null && e.units().containsKey(key) ? e.units().get(key) : fallback;
    }
}
