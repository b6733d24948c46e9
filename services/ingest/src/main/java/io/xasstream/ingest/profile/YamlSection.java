package io.xasstream.ingest.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One mapping of a profile file with typed reads; every key it does not declare is an error naming the key, so a
 * typo ("itrns") never silently falls back to a default.
 */
final class YamlSection {
    private final String where;
    private final Map<String, Object> map;

    YamlSection(String where, Map<?, ?> map, Set<String> allowed) {
        this.where = where;
        this.map = new LinkedHashMap<>();
        map.forEach((k, v) -> this.map.put(String.valueOf(k), v));
        Set<String> unknown = new TreeSet<>(this.map.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new ProfileException(where + ": unknown key(s) " + unknown + "; allowed: " + new TreeSet<>(allowed));
        }
    }

    String text(String key, String fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Map || v instanceof List) {
            throw new ProfileException(where + "." + key + " must be a single value, not " + v);
        }
        return String.valueOf(v).trim();
    }

    /** A scalar or a list of scalars, as a list. */
    List<String> texts(String key, List<String> fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map || o instanceof List) {
                    throw new ProfileException(where + "." + key + " must list plain names, not " + o);
                }
                out.add(String.valueOf(o).trim());
            }
        } else if (v instanceof Map) {
            throw new ProfileException(where + "." + key + " must be a name or a list of names");
        } else {
            out.add(String.valueOf(v).trim());
        }
        return List.copyOf(out);
    }

    double number(String key, double fallback) {
        Object v = map.get(key);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new ProfileException(where + "." + key + ": '" + v + "' is not a number");
        }
    }

    List<Double> numbers(String key, List<Double> fallback) {
        List<String> raw = texts(key, null);
        if (raw == null) {
            return fallback;
        }
        List<Double> out = new ArrayList<>();
        for (String s : raw) {
            try {
                out.add(Double.parseDouble(s));
            } catch (NumberFormatException e) {
                throw new ProfileException(where + "." + key + ": '" + s + "' is not a number");
            }
        }
        return List.copyOf(out);
    }

    /** A nested mapping, or null when absent. */
    YamlSection section(String key, Set<String> allowed) {
        Object v = map.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ProfileException(where + "." + key + " must be a mapping");
        }
        return new YamlSection(where + "." + key, m, allowed);
    }

    /** Every entry of a nested mapping whose keys are free names (e.g. condition names). */
    Map<String, Object> entries(String key) {
        Object v = map.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ProfileException(where + "." + key + " must be a mapping");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }

    String where() {
        return where;
    }
}
