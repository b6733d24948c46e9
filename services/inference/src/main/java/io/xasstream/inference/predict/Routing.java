package io.xasstream.inference.predict;

import io.xasstream.inference.model.ModelManifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A model stands aside for the model it is the fallback for whenever that one can take the spectrum; then, per task,
 * the candidate model whose OOD score is the smallest fraction of its own threshold answers; a model without an OOD
 * score answers only where no candidate of its task has one, and ties go to manifest order.
 *
 * <p>Why: two models may serve one task for one edge, trained on different worlds (Fe K: {@code fe-k-cn} on
 * FDMNES molecular complexes, {@code m3d-fe-k-cn} on FEFF oxides, sulfides and metals). Each one's OOD score says
 * how typical the spectrum is of its own training inputs, in units of its own 99th-percentile threshold, so the
 * ratio compares the two on one scale: a metal foil is far from every complex and typical of the simulated
 * metals, and the model that knows metals answers. A fallback ({@code fallbackFor}) is the same model family on a
 * narrower input window (m3d's xanes graphs for its wide ones): it exists for spectra that end too early, and where
 * the wider one can read the spectrum it knows more, so the fallback is not asked at all.
 */
public final class Routing {
    private Routing() {
    }

    /** One model's bid for a spectrum: its manifest entry and its OOD score (NaN when it has none). */
    public record Candidate<M>(M model, ModelManifest.Entry entry, double oodScore) {
        double ratio() {
            if (entry.ood() == null || Double.isNaN(oodScore) || !(entry.ood().threshold() > 0)) {
                return Double.POSITIVE_INFINITY;
            }
            return oodScore / entry.ood().threshold();
        }
    }

    /**
     * The models that took a spectrum (its preprocessing met their input contract), less those standing in for
     * another model that took it too; order kept.
     */
    public static <M> List<M> withoutStandIns(Collection<M> takers, Function<M, ModelManifest.Entry> entryOf) {
        Set<String> ids = new HashSet<>();
        for (M m : takers) {
            ids.add(entryOf.apply(m).id());
        }
        List<M> out = new ArrayList<>(takers.size());
        for (M m : takers) {
            String main = entryOf.apply(m).fallbackFor();
            if (main == null || !ids.contains(main)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The answering model per task, tasks in the order they first appear among the candidates. */
    public static <M> Map<String, M> answering(List<Candidate<M>> candidates) {
        Map<String, Candidate<M>> best = new LinkedHashMap<>();
        for (Candidate<M> c : candidates) {
            best.merge(c.entry().task(), c, (old, now) -> now.ratio() < old.ratio() ? now : old);
        }
        Map<String, M> out = new LinkedHashMap<>();
        best.forEach((task, c) -> out.put(task, c.model()));
        return out;
    }
}
