package io.xasstream.inference.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code models/manifest.json}: per model its id, version, element/edge, task, ONNX file and sha256, input grid and
 * preprocessing parameters, output names, classes, curve definition, OOD threshold, provenance and metrics.
 * The Java service and the Python training both read it: it is the contract between them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(int manifestVersion, List<Entry> models) {

    /**
     * One model. {@code fallbackFor}: the id of a model of the same element, edge and task that reads more of the
     * spectrum (a wider input window); this one answers only spectra that model cannot take. Null for most models.
     * {@code trust}: the rule each answer's verdict is computed from ({@link TrustRule}); null: no verdict.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String id, String version, String element, String edge, String task, String file,
                        String sha256, Input input, Map<String, String> outputs, List<String> classes, Curve curve,
                        Ood ood, Map<String, String> units, Map<String, JsonNode> provenance, JsonNode metrics,
                        String card, EdgeShift edgeShift, String fallbackFor, TrustRule trust) {
        /** "id@version". */
        public String ref() {
            return id + "@" + version;
        }
    }

    /** The input tensor: its name, the energy grid and the preprocessing that produces it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String name, Grid grid, Map<String, JsonNode> preprocessing) {
    }

    /** The model's energy grid: startEv + i*stepEv, i < count, relative to E0 or absolute. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Grid(String id, boolean relativeToE0, double startEv, double stepEv, int count, boolean padAllowed) {
    }

    /** The pseudo-PDF curve: the r grid (Å) and the G2 parameters. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Curve(List<Double> r, double eta, double cutoffAngstrom, String definition) {
    }

    /**
     * A second graph input, [batch, width] = (c, known): the edge position c = E0 - tabulated edge (eV) of a spectrum
     * calibrated by its reference channel, known = 1; (0, 0) for any other spectrum. Null for a single-input graph.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record EdgeShift(String name, int width, String definition, double referenceSdEv) {
    }

    /** Out-of-distribution score threshold. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ood(double threshold, String method) {
    }

    public static ModelManifest read(Path file) throws IOException {
        ModelManifest m = new ObjectMapper().readValue(file.toFile(), ModelManifest.class);
        if (m.manifestVersion() != 1) {
            throw new IOException(file + ": manifestVersion " + m.manifestVersion() + " is not supported (1)");
        }
        String wrong = String.join("; ", Stream.of(m.outputProblems(), m.fallbackProblems(), m.trustProblems())
                .filter(p -> !p.isEmpty()).toList());
        if (!wrong.isEmpty()) {
            throw new IOException(file + ": " + wrong);
        }
        return m;
    }

    /**
     * Empty when every model declares the outputs its task needs ({@link ModelOutput#requiredFor}) and no output
     * this service does not know; else what is wrong.
     */
    public String outputProblems() {
        List<String> out = new ArrayList<>();
        for (Entry e : models) {
            Map<String, String> declared = e.outputs() == null ? Map.of() : e.outputs();
            for (String key : declared.keySet()) {
                try {
                    ModelOutput.of(key);
                } catch (IllegalArgumentException x) {
                    out.add(e.id() + ": " + x.getMessage());
                }
            }
            for (ModelOutput o : ModelOutput.requiredFor(e.task())) {
                if (!declared.containsKey(o.key())) {
                    out.add(e.id() + " (" + e.task() + ") declares no '" + o.key() + "' output");
                }
            }
        }
        return String.join("; ", out);
    }

    /** Empty when every trust rule can be applied to its model as written; else what is wrong. */
    public String trustProblems() {
        StringBuilder out = new StringBuilder();
        for (Entry e : models) {
            if (e.trust() != null) {
                for (String p : e.trust().problems(e)) {
                    out.append(e.id()).append(" trust: ").append(p).append("; ");
                }
            }
        }
        return out.toString().replaceAll("; $", "");
    }

    /**
     * Empty when every {@code fallbackFor} names another model of this manifest with the same element, edge and
     * task; else what is wrong. A dangling one would let the fallback answer everything without anyone noticing.
     */
    public String fallbackProblems() {
        StringBuilder out = new StringBuilder();
        for (Entry e : models) {
            if (e.fallbackFor() == null) {
                continue;
            }
            Entry target = models.stream().filter(o -> o.id().equals(e.fallbackFor())).findFirst().orElse(null);
            if (target == null || target == e) {
                out.append(e.id()).append(" is the fallback for ").append(e.fallbackFor())
                        .append(", which the manifest does not hold; ");
            } else if (!target.element().equalsIgnoreCase(e.element()) || !target.edge().equalsIgnoreCase(e.edge())
                    || !target.task().equals(e.task())) {
                out.append(e.id()).append(" (").append(e.element()).append(' ').append(e.edge()).append(' ')
                        .append(e.task()).append(") is the fallback for ").append(target.id()).append(" (")
                        .append(target.element()).append(' ').append(target.edge()).append(' ').append(target.task())
                        .append("), which serves something else; ");
            }
        }
        return out.toString().replaceAll("; $", "");
    }
}
