package io.xasstream.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;

/** A copy of the committed manifest and its model files under another version label (a "new" model version). */
final class ManifestCopies {
    private ManifestCopies() {
    }

    static Path withVersion(Path dir, String version) throws Exception {
        Path source = Spectra.repo("models/manifest.json");
        ObjectMapper json = new ObjectMapper();
        JsonNode manifest = json.readTree(source.toFile());
        for (JsonNode m : manifest.get("models")) {
            Path file = source.getParent().resolve(m.get("file").asText());
            Path copy = dir.resolve(m.get("file").asText());
            Files.createDirectories(copy.getParent());
            Files.copy(file, copy);
            ((ObjectNode) m).put("version", version);
        }
        Path out = dir.resolve("manifest.json");
        json.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), manifest);
        return out;
    }

    static JsonNode firstModel(Path manifest) throws Exception {
        return new ObjectMapper().readTree(manifest.toFile()).get("models").get(0);
    }

    static JsonNode model(Path manifest, String id) throws Exception {
        for (JsonNode m : new ObjectMapper().readTree(manifest.toFile()).get("models")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException(manifest + " has no model " + id);
    }
}
