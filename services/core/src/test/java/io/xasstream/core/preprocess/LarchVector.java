package io.xasstream.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** One test vector written by models/training/xasprep/larch_reference.py: input energy/mu and Larch's results. */
record LarchVector(String name, String element, String edge, double[] energy, double[] mu, double e0,
                   double edgeStep, double[] norm, double[] flat, JsonNode details, double[] referenceMu,
                   Double referenceE0) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static LarchVector read(Path file) throws IOException {
        JsonNode n = JSON.readTree(file.toFile());
        return new LarchVector(n.path("file").asText(file.getFileName().toString()), text(n, "element"),
                text(n, "edge"), doubles(n, "energy"), doubles(n, "mu"), n.get("e0").asDouble(),
                n.get("edge_step").asDouble(), doubles(n, "norm"), doubles(n, "flat"), n.get("pre_edge_details"),
                doubles(n, "reference_mu"),
                n.path("reference_e0").isNumber() ? n.get("reference_e0").asDouble() : null);
    }

    /** All *.json vectors in {@code dir}, sorted by file name. */
    static List<LarchVector> readAll(Path dir) throws IOException {
        List<LarchVector> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                out.add(read(p));
            }
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode t = n.get(field);
        return t == null || t.isNull() ? null : t.asText();
    }

    /** The array {@code field}, or null where it is absent or null (flat in compact vectors, reference_mu). */
    private static double[] doubles(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null || a.isNull()) {
            return null;
        }
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.get(i).asDouble();
        }
        return d;
    }
}
