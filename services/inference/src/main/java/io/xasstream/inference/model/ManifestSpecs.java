package io.xasstream.inference.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.xasstream.core.edges.EdgeWindow;
import io.xasstream.core.preprocess.EnergyGrid;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.PreprocessingSpec;
import io.xasstream.core.preprocess.SpectrumValidator;
import java.util.Map;
import java.util.Set;

/** Turns a manifest entry's grid and preprocessing block into the {@link PreprocessingSpec} the Java code runs. */
public final class ManifestSpecs {
    private static final Set<String> KNOWN = Set.of("e0Method", "e0", "step", "pre1", "pre2", "norm1", "norm2",
            "nnorm", "nvict", "makeFlat", "signal", "quantity", "minPoints", "edgeWindow", "outOfRange",
            "larchVersion");

    private ManifestSpecs() {
    }

    public static PreprocessingSpec spec(ModelManifest.Entry entry) {
        Map<String, JsonNode> p = entry.input().preprocessing();
        for (String key : p.keySet()) {
            if (!KNOWN.contains(key)) {
                // An unknown key would silently change nothing here while the training applied it: refuse.
                throw new IllegalArgumentException(entry.ref() + ": unknown preprocessing parameter '" + key + "'");
            }
        }
        String e0Method = text(p, "e0Method", "derivative");
        if (!e0Method.equals("derivative") && !e0Method.equals("fixed")) {
            throw new IllegalArgumentException(entry.ref() + ": e0Method must be derivative or fixed");
        }
        NormalizationParams np = new NormalizationParams(
                number(p, "e0"), number(p, "step"), number(p, "pre1"), number(p, "pre2"),
                number(p, "norm1"), number(p, "norm2"),
                p.containsKey("nnorm") && !p.get("nnorm").isNull() ? p.get("nnorm").asInt() : null,
                p.containsKey("nvict") ? p.get("nvict").asInt() : 0,
                !p.containsKey("makeFlat") || p.get("makeFlat").asBoolean());
        String signal = text(p, "signal", text(p, "quantity", "flat"));
        PreprocessingSpec.Signal s = switch (signal) {
            case "norm" -> PreprocessingSpec.Signal.NORM;
            case "flat" -> PreprocessingSpec.Signal.FLAT;
            default -> throw new IllegalArgumentException(entry.ref() + ": signal must be norm or flat");
        };
        ModelManifest.Grid g = entry.input().grid();
        double[] points = EnergyGrid.linspace(g.startEv(), g.startEv() + g.stepEv() * (g.count() - 1), g.count());
        EnergyGrid.OutOfRange outOfRange = EnergyGrid.OutOfRange.valueOf(text(p, "outOfRange",
                g.padAllowed() ? "EDGE_VALUE" : "REJECT"));
        if (outOfRange != EnergyGrid.OutOfRange.REJECT && !g.padAllowed()) {
            throw new IllegalArgumentException(entry.ref() + ": outOfRange " + outOfRange + " but padAllowed=false");
        }
        EnergyGrid grid = new EnergyGrid(points,
                g.relativeToE0() ? EnergyGrid.Reference.RELATIVE_TO_E0 : EnergyGrid.Reference.ABSOLUTE,
                outOfRange, 0.0);
        int minPoints = p.containsKey("minPoints") ? p.get("minPoints").asInt() : SpectrumValidator.DEFAULT_MIN_POINTS;
        JsonNode w = p.get("edgeWindow");
        EdgeWindow window = w == null || w.isNull() ? EdgeWindow.DEFAULT
                : new EdgeWindow(w.path("below").asDouble(), w.path("above").asDouble());
        return new PreprocessingSpec(minPoints, np, window, s, grid);
    }

    private static Double number(Map<String, JsonNode> p, String key) {
        JsonNode n = p.get(key);
        return n == null || n.isNull() ? null : n.asDouble();
    }

    private static String text(Map<String, JsonNode> p, String key, String fallback) {
        JsonNode n = p.get(key);
        return n == null || n.isNull() ? fallback : n.asText();
    }
}
