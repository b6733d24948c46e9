package io.xasstream.inference.predict;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.AbsorptionEdges;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.core.preprocess.PreprocessingSpec;
import io.xasstream.core.preprocess.Preprocessor;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One spectrum checked and preprocessed for each model of its element and edge (once per distinct model input):
 * the {@link Row} of a batch, or its refusal.
 */
final class SpectrumPreparation {
    private final ModelRegistry registry;

    SpectrumPreparation(ModelRegistry registry) {
        this.registry = registry;
    }

    Row row(SpectrumInput in) {
        try {
            List<String> skipped = new ArrayList<>(0);
            Map<LoadedModel, PreprocessedSpectrum> byModel = prepare(in, skipped);
            return Row.prepared(in, byModel, skipped);
        } catch (SpectrumRejectedException e) {
            return Row.refused(in, e);
        }
    }

    private Map<LoadedModel, PreprocessedSpectrum> prepare(SpectrumInput in, List<String> skipped)
            throws SpectrumRejectedException {
        Edge edge = checkedEdge(in);
        List<LoadedModel> models = registry.forEdge(in.element(), edge.name());
        if (models.isEmpty()) {
            throw new SpectrumRejectedException(ReasonCode.NO_MODEL, "no model serves " + in.element() + " "
                    + edge + " (models: " + registry.models().stream().map(m -> m.entry().element() + " "
                    + m.entry().edge() + " " + m.entry().task()).distinct().toList() + ")");
        }
        double[] energy = shifted(in);
        Map<ModelManifest.Input, Object> byInput = new HashMap<>();
        Map<LoadedModel, PreprocessedSpectrum> out = new LinkedHashMap<>();
        Map<String, SpectrumRejectedException> refusedByTask = new LinkedHashMap<>();
        SpectrumRejectedException first = null;
        for (LoadedModel m : models) {
            Object p = byInput.computeIfAbsent(m.entry().input(), k -> preprocess(energy, in, edge, m));
            if (p instanceof PreprocessedSpectrum ok) {
                out.put(m, ok);
            } else {
                // One model's input contract (its grid, say) not met: the others still answer, and the result
                // says which task is missing and why; only a spectrum no model can take is refused.
                SpectrumRejectedException e = (SpectrumRejectedException) p;
                first = first == null ? e : first;
                refusedByTask.putIfAbsent(m.entry().task(), e);
            }
        }
        if (out.isEmpty()) {
            throw first;
        }
        // A narrower-window model is not run where the model it stands in for took the spectrum.
        out.keySet().retainAll(Routing.withoutStandIns(out.keySet(), LoadedModel::entry));
        // A task is missing only when none of its models could take the spectrum.
        refusedByTask.forEach((task, e) -> {
            if (out.keySet().stream().noneMatch(m -> m.entry().task().equals(task))) {
                skipped.add("SKIPPED_" + task.toUpperCase(Locale.ROOT) + "_" + e.reason().name());
            }
        });
        return out;
    }

    private static Edge checkedEdge(SpectrumInput in) throws SpectrumRejectedException {
        if (in.element() == null || AbsorptionEdges.atomicNumber(in.element()).isEmpty()) {
            throw new SpectrumRejectedException(ReasonCode.UNKNOWN_ELEMENT, "'" + in.element()
                    + "' is not a chemical element");
        }
        try {
            return Edge.parse(in.edge());
        } catch (IllegalArgumentException e) {
            throw new SpectrumRejectedException(ReasonCode.NO_MODEL, "no model for the " + in.edge() + " edge");
        }
    }

    private static double[] shifted(SpectrumInput in) {
        if (in.energyShift() == null || in.energyShift() == 0.0) {
            return in.energy();
        }
        double[] energy = in.energy().clone();
        for (int k = 0; k < energy.length; k++) {
            energy[k] += in.energyShift();
        }
        return energy;
    }

    /** The model's input, or the refusal of its input contract (kept as a value: other models may still answer). */
    private static Object preprocess(double[] energy, SpectrumInput in, Edge edge, LoadedModel m) {
        PreprocessingSpec spec = m.spec();
        if (in.e0() != null) {
            spec = spec.withNormalization(spec.normalization().withE0(in.e0()));
        }
        try {
            return Preprocessor.preprocess(energy, in.mu(), in.referenceMu(), in.element(), edge, spec);
        } catch (SpectrumRejectedException e) {
            return e;
        }
    }
}
