package io.xasstream.k8s.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A docker-archive image tarball (what Jib's buildTar writes): its config, its layers named by their history
 * comment (Jib names its layers there; the base's layers are called "base"), their files, and the root filesystem
 * they make. The archive and its layers are read with {@code tar}, as a container runtime would unpack them.
 */
final class OciImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final JsonNode config;
    private final Map<String, Path> layers; // name -> layer file, in image order
    private final Map<String, List<String>> files = new HashMap<>();

    private OciImage(Path dir, JsonNode config, Map<String, Path> layers) {
        this.dir = dir;
        this.config = config;
        this.layers = layers;
    }

    static OciImage read(Path tar, Path dir) throws Exception {
        Files.createDirectories(dir);
        Commands.check(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
        JsonNode config = JSON.readTree(dir.resolve(manifest.path("Config").asText()).toFile());
        List<String> names = new ArrayList<>();
        for (JsonNode h : config.path("history")) {
            if (!h.path("empty_layer").asBoolean(false)) {
                names.add("Jib".equals(h.path("author").asText()) ? h.path("comment").asText() : "base");
            }
        }
        JsonNode layerFiles = manifest.path("Layers");
        if (names.size() != layerFiles.size()) {
            throw new IllegalStateException("history names " + names.size() + " layers, the manifest "
                    + layerFiles.size());
        }
        Map<String, Path> layers = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = layers.containsKey(names.get(i)) ? names.get(i) + "#" + i : names.get(i);
            layers.put(name, dir.resolve(layerFiles.get(i).asText()));
        }
        return new OciImage(dir, config, layers);
    }

    JsonNode config() {
        return config;
    }

    List<String> layerNames() {
        return List.copyOf(layers.keySet());
    }

    /** Regular files and links of a layer, as paths without a leading slash. */
    List<String> files(String layer) throws Exception {
        if (!files.containsKey(layer)) {
            Path file = layers.get(layer);
            if (file == null) {
                throw new AssertionError("no layer '" + layer + "' in " + layers.keySet());
            }
            List<String> out = new ArrayList<>();
            for (String line : Commands.check(List.of("tar", "-tzf", file.toString())).stdout().split("\n")) {
                String p = line.replaceFirst("^\\./", "").replaceFirst("^/", "");
                if (!p.isEmpty() && !p.endsWith("/")) {
                    out.add(p);
                }
            }
            files.put(layer, Collections.unmodifiableList(out));
        }
        return files.get(layer);
    }

    /** One file of the image, extracted from the layer that holds it. */
    Path extracted(String path) throws Exception {
        Path out = Files.createDirectories(dir.resolve("extracted"));
        for (String layer : layers.keySet()) {
            if (files(layer).contains(path)) {
                Commands.check(List.of("tar", "-xzf", layers.get(layer).toString(), "-C", out.toString(), path));
                return out.resolve(path);
            }
        }
        throw new AssertionError(path + " is in no layer");
    }

    /** The root filesystem: every layer in order, owners and modes as recorded (run as root). */
    Path unpack(Path rootfs) throws Exception {
        Files.createDirectories(rootfs);
        for (Path layer : layers.values()) {
            Commands.check(List.of("tar", "-xzpf", layer.toString(), "-C", rootfs.toString(), "--numeric-owner"));
        }
        return rootfs;
    }

    long compressedBytes() throws IOException {
        long total = 0;
        for (Path layer : layers.values()) {
            total += Files.size(layer);
        }
        return total;
    }

    Map<String, Long> layerSizes() throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : layers.entrySet()) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(e.getValue()), 1 << 16)) {
                sizes.put(e.getKey(), in.transferTo(OutputStream.nullOutputStream()));
            }
        }
        return sizes;
    }

    long uncompressedBytes() throws IOException {
        return layerSizes().values().stream().mapToLong(Long::longValue).sum();
    }

    static List<String> zipEntries(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
