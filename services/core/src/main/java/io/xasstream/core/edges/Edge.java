package io.xasstream.core.edges;

import java.util.Locale;

/** An absorption edge (core level) with tabulated energies: K, L1, L2, L3. */
public enum Edge {
    K, L1, L2, L3;

    /**
     * The edge named by {@code text}, case-insensitively and ignoring surrounding blanks ("k", " L3 ").
     *
     * @throws IllegalArgumentException if it names no tabulated edge
     */
    public static Edge parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("edge is null");
        }
        String t = text.strip().toUpperCase(Locale.ROOT);
        for (Edge e : values()) {
            if (e.name().equals(t)) {
                return e;
            }
        }
        throw new IllegalArgumentException("not a tabulated edge (K, L1, L2, L3): '" + text + "'");
    }
}
