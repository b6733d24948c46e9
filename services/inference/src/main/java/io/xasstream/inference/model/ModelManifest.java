package io.xasstream.inference.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code models/manifest.json}: per model its id, version, element/edge, task, ONNX file and sha256, input grid and
 * preprocessing parameters, output names, classes, curve definition, OOD threshold, provenance and metrics.
 * The Java service and the Python training both read it: it is the contract between them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ModelManifest(int manifestVersion, List<Entry> models) {

    /** One model. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String id, String version, String element, String edge, String task, String file,
                        String sha256, Input input, Map<String, String> outputs, List<String> classes, Curve curve,
                        Ood ood, Map<String, String> units, Map<String, JsonNode> provenance, JsonNode metrics,
                        String card, EdgeShift edgeShift) {
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
        return m;
    }
}
