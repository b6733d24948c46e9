package io.xasstream.ingest.profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads a profile YAML merged over the bundled BMM-like default ({@code profile/bmm.yaml}). */
public final class ProfileLoader {
    static final String DEFAULT = "/io/xasstream/ingest/profile/bmm.yaml";

    private static final Set<String> TOP = Set.of("name", "facility", "beamline", "stream", "energy", "energy-unit",
            "i0", "itrans", "irefer", "ifluor", "element", "edge", "edge-default", "sample", "sample-default",
            "experiment", "experiment-default", "conditions", "metadata", "karabo", "tiled");
    private static final Set<String> KARABO = Set.of("mode", "facility", "beamline", "experiment", "sample", "element", "edge", "signal",
            "spectrometer", "pulse-ids", "calibration", "xgm", "mono-energy", "energy-unit", "scan-detector",
            "scan-id", "bin-ev", "conditions");
    private static final Set<String> SOURCE = Set.of("source", "path");
    private static final Set<String> CONDITION = Set.of("stream", "fields", "unit");

    private ProfileLoader() {
    }

    /** The bundled default. */
    public static Profile defaults() {
        return parse("default profile", defaultTree());
    }

    /** The default with the file's keys merged over it; null means the default alone. */
    public static Profile load(Path file) {
        if (file == null) {
            return defaults();
        }
        Map<String, Object> tree = defaultTree();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            merge(tree, yaml(r, file.toString()));
        } catch (IOException e) {
            throw new ProfileException("cannot read profile " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), tree);
    }

    /** A profile from YAML text merged over the default (tests, embedded profiles). */
    public static Profile fromYaml(String yaml) {
        Map<String, Object> tree = defaultTree();
        merge(tree, yaml(new StringReader(yaml), "profile text"));
        return parse("profile text", tree);
    }

    private static Map<String, Object> defaultTree() {
        try (InputStream in = ProfileLoader.class.getResourceAsStream(DEFAULT)) {
            if (in == null) {
                throw new IllegalStateException("bundled profile " + DEFAULT + " missing from the jar");
            }
            return yaml(new InputStreamReader(in, StandardCharsets.UTF_8), DEFAULT);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> yaml(Reader r, String where) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
        } catch (RuntimeException e) {
            throw new ProfileException(where + ": not YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return new LinkedHashMap<>();
        }
        if (!(root instanceof Map<?, ?> m)) {
            throw new ProfileException(where + ": the top level must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /** Mappings merge key by key; any other value (lists included) replaces the default's. */
    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> base, Map<String, Object> over) {
        over.forEach((k, v) -> {
            Object old = base.get(k);
            if (old instanceof Map<?, ?> oldMap && v instanceof Map<?, ?> newMap) {
                Map<String, Object> copy = new LinkedHashMap<>();
                oldMap.forEach((a, b) -> copy.put(String.valueOf(a), b));
                Map<String, Object> add = new LinkedHashMap<>();
                newMap.forEach((a, b) -> add.put(String.valueOf(a), b));
                merge(copy, add);
                base.put(k, copy);
            } else {
                base.put(k, v);
            }
        });
    }

    private static Profile parse(String where, Map<String, Object> tree) {
        YamlSection s = new YamlSection(where, tree, TOP);
        String unit = unit(s.where() + ".energy-unit", s.text("energy-unit", "eV"));
        Map<String, Profile.Condition> conditions = new LinkedHashMap<>();
        s.entries("conditions").forEach((name, v) -> {
            if (!(v instanceof Map<?, ?> m)) {
                throw new ProfileException(where + ".conditions." + name + " must be a mapping (stream, fields, unit)");
            }
            YamlSection c = new YamlSection(where + ".conditions." + name, m, CONDITION);
            conditions.put(name, new Profile.Condition(c.text("stream", "baseline"), c.texts("fields", List.of(name)),
                    c.text("unit", "")));
        });
        YamlSection t = s.section("tiled", Set.of("table"));
        return new Profile(s.text("name", "profile"), s.text("facility", ""), s.text("beamline", ""),
                s.text("stream", "primary"), required(s, "energy"), unit, s.text("i0", "I0"), s.text("itrans", ""),
                s.text("irefer", ""), s.texts("ifluor", List.of()), required(s, "element"), s.texts("edge", List.of()),
                s.text("edge-default", "K"), s.texts("sample", List.of()), s.text("sample-default", "sample"),
                s.texts("experiment", List.of()), s.text("experiment-default", "bluesky"), Map.copyOf(conditions),
                s.texts("metadata", List.of()), karabo(s.section("karabo", KARABO)),
                new Profile.Tiled(t == null ? "internal" : t.text("table", "internal")));
    }

    private static List<String> required(YamlSection s, String key) {
        List<String> v = s.texts(key, List.of());
        if (v.isEmpty()) {
            throw new ProfileException(s.where() + "." + key + " must name at least one candidate");
        }
        return v;
    }

    private static String unit(String where, String unit) {
        String u = unit.trim();
        if (u.equalsIgnoreCase("ev")) {
            return "eV";
        }
        if (u.equalsIgnoreCase("kev")) {
            return "keV";
        }
        throw new ProfileException(where + ": '" + unit + "' is not eV or keV");
    }

    private static Profile.Karabo karabo(YamlSection k) {
        if (k == null) {
            return null;
        }
        String modeText = k.text("mode", "spectrometer");
        Profile.KaraboMode mode;
        try {
            mode = Profile.KaraboMode.valueOf(modeText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProfileException(k.where() + ".mode: '" + modeText + "' is not spectrometer or scan");
        }
        String signal = k.text("signal", "itrans");
        if (!signal.equals("itrans") && !signal.equals("ifluor")) {
            throw new ProfileException(k.where() + ".signal: '" + signal + "' is not itrans or ifluor");
        }
        double bin = k.number("bin-ev", 0.5);
        if (!(bin > 0)) {
            throw new ProfileException(k.where() + ".bin-ev must be > 0");
        }
        Map<String, Profile.Source> conditions = new LinkedHashMap<>();
        k.entries("conditions").forEach((name, v) -> conditions.put(name, source(k, "conditions." + name, v)));
        return new Profile.Karabo(mode, k.text("facility", "European XFEL"), k.text("beamline", ""),
                k.text("experiment", "xfel"), k.text("sample", "sample"),
                k.text("element", ""), k.text("edge", "K"), source(k, "spectrometer"), source(k, "pulse-ids"),
                k.numbers("calibration", List.of(0.0, 1.0)), signal, source(k, "xgm"), source(k, "mono-energy"),
                unit(k.where() + ".energy-unit", k.text("energy-unit", "eV")), source(k, "scan-detector"),
                source(k, "scan-id"), bin, Map.copyOf(conditions));
    }

    private static Profile.Source source(YamlSection k, String key) {
        YamlSection s = k.section(key, SOURCE);
        return s == null ? new Profile.Source("", "") : new Profile.Source(s.text("source", ""), s.text("path", ""));
    }

    private static Profile.Source source(YamlSection k, String key, Object v) {
        if (!(v instanceof Map<?, ?> m)) {
            throw new ProfileException(k.where() + "." + key + " must be a mapping (source, path)");
        }
        YamlSection s = new YamlSection(k.where() + "." + key, m, SOURCE);
        return new Profile.Source(s.text("source", ""), s.text("path", ""));
    }
}
