package io.xasstream.inference.predict;

import io.xasstream.core.preprocess.EnergyGrid;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.schema.result.Preprocessing;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/** A result's {@code preprocessing} record: how its spectrum was normalised and put on the model's grid. */
final class PreprocessingRecords {
    /** Grid ids by grid: formatted once per grid, not once per result. */
    private static final Map<EnergyGrid, String> GRID_IDS = Collections.synchronizedMap(new WeakHashMap<>());

    private PreprocessingRecords() {
    }

    static Preprocessing of(PreprocessedSpectrum p, SpectrumInput in) {
        NormalizationParams u = p.normalization().resolved();
        Map<String, Double> params = new LinkedHashMap<>();
        params.put("pre1", u.pre1());
        params.put("pre2", u.pre2());
        params.put("norm1", u.norm1());
        params.put("norm2", u.norm2());
        params.put("nnorm", u.nnorm().doubleValue());
        params.put("nvict", (double) u.nvict());
        params.put("tabulatedEdgeEv", p.tabulatedEdge());
        String method = p.normalization().e0Source() == NormalizationResult.E0Source.FIXED ? "fixed"
                : p.calibratedByReference() ? "reference" : "derivative";
        double shift = p.energyShift() + (in.energyShift() == null ? 0.0 : in.energyShift());
        return Preprocessing.newBuilder()
                .setE0Ev(p.normalization().e0()).setE0Method(method).setEnergyShiftEv(shift)
                .setEdgeStep(p.normalization().edgeStep()).setParameters(params)
                .setGridId(p.spec().grid() == null ? "" : GRID_IDS.computeIfAbsent(p.spec().grid(),
                        PreprocessingRecords::gridId))
                .setAlgorithm("larch-0.9.58 pre_edge (xasstream core), signal " + p.spec().signal().name()
                        .toLowerCase(Locale.ROOT))
                .build();
    }

    private static String gridId(EnergyGrid g) {
        return String.format(Locale.ROOT, "%s:%g:%g:%d", g.reference() == EnergyGrid.Reference.RELATIVE_TO_E0
                ? "e0" : "abs", g.point(0), g.point(g.size() - 1), g.size());
    }
}
