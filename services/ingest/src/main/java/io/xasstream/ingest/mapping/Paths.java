package io.xasstream.ingest.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a value out of a decoded document by a dotted path with optional list indices, e.g.
 * {@code XDI.Element.symbol}, {@code proposal.proposal_id}, {@code motors[0]}, {@code hints.dimensions[0][0][0]}.
 *
 * <p>Nested maps and flat dotted keys both resolve: {@code XDI.Element.symbol} finds
 * {@code {"XDI": {"Element": {"symbol": "Fe"}}}} as well as {@code {"XDI.Element.symbol": "Fe"}} (some facilities
 * flatten their metadata before publishing).
 */
public final class Paths {
    /** A key (which may itself contain dots, for flat keys) and its trailing list indices. */
    private static final Pattern SEGMENT = Pattern.compile("(.+?)((?:\\[\\d+])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)]");

    private Paths() {
    }

    /** The value at {@code path}, if every step exists. */
    public static Optional<Object> find(Map<String, Object> doc, String path) {
        if (doc == null || path == null || path.isBlank()) {
            return Optional.empty();
        }
        if (doc.containsKey(path)) {
            return Optional.ofNullable(doc.get(path));
        }
        return Optional.ofNullable(walk(doc, path.split("\\."), 0));
    }

    private static Object walk(Object node, String[] parts, int from) {
        if (from == parts.length) {
            return node;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return null;
        }
        // a flat key may cover several parts ("XDI.Element.symbol" inside "XDI"): try the longest first
        for (int to = parts.length; to > from; to--) {
            String joined = String.join(".", Arrays.copyOfRange(parts, from, to));
            Matcher m = SEGMENT.matcher(joined);
            if (!m.matches()) {
                continue;
            }
            Object value = map.get(m.group(1));
            if (value == null) {
                continue;
            }
            Matcher idx = INDEX.matcher(m.group(2));
            while (value != null && idx.find()) {
                int i = Integer.parseInt(idx.group(1));
                value = value instanceof List<?> list && i < list.size() ? list.get(i) : null;
            }
            Object found = walk(value, parts, to);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** The first of the paths that resolves to a non-blank scalar, as text (whole numbers without ".0"). */
    public static Optional<String> firstText(Map<String, Object> doc, List<String> paths) {
        for (String p : paths) {
            Optional<String> text = find(doc, p).flatMap(Paths::text);
            if (text.isPresent()) {
                return text;
            }
        }
        return Optional.empty();
    }

    /** A scalar as text; maps and lists have none. */
    public static Optional<String> text(Object value) {
        if (value instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s.trim());
        }
        if (value instanceof Long || value instanceof Integer) {
            return Optional.of(value.toString());
        }
        if (value instanceof Double d && Double.isFinite(d)) {
            return Optional.of(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : d.toString());
        }
        if (value instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        return Optional.empty();
    }

    /** The first string found by descending first elements: hints.dimensions is [[["dcm_energy"], "primary"]]. */
    public static Optional<String> firstString(Object value) {
        Object v = value;
        while (v instanceof List<?> list && !list.isEmpty()) {
            v = list.get(0);
        }
        return v instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    /** A number (Long, Double, Boolean as 0/1) as a double, NaN otherwise. */
    public static double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        return Double.NaN;
    }
}
