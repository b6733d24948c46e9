package io.xasstream.core.edges;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Tabulated K, L1, L2, L3 edge energies (eV) for Z 20-92 (Elam, Ravel &amp; Sieber 2002, as shipped by xraydb), element
 * symbol/Z lookup, and the check that a found E0 lies where the element's edge is.
 */
public final class AbsorptionEdges {
    private AbsorptionEdges() {}

    /** Smallest Z with tabulated edges. */
    public static final int Z_MIN = EdgeEnergyTable.Z_MIN;
    /** Largest Z with tabulated edges. */
    public static final int Z_MAX = EdgeEnergyTable.Z_MAX;

    // Upper-cased symbol -> Z, so lookups accept "fe", "FE" and "Fe" alike (symbols never collide when upper-cased).
    private static final Map<String, Integer> Z_BY_SYMBOL = new HashMap<>();

    static {
        for (int i = 0; i < EdgeEnergyTable.SYMBOLS.length; i++) {
            Z_BY_SYMBOL.put(EdgeEnergyTable.SYMBOLS[i].toUpperCase(Locale.ROOT), i + 1);
        }
    }

    /** Z of a chemical element symbol (case-insensitive, blanks stripped), for Z 1-98; empty if not an element. */
    public static OptionalInt atomicNumber(String symbol) {
        if (symbol == null) {
            return OptionalInt.empty();
        }
        Integer z = Z_BY_SYMBOL.get(symbol.strip().toUpperCase(Locale.ROOT));
        return z == null ? OptionalInt.empty() : OptionalInt.of(z);
    }

    /** The conventional symbol ("Fe") of element Z, for Z 1-98. */
    public static String symbol(int z) {
        if (z < 1 || z > EdgeEnergyTable.SYMBOLS.length) {
            throw new IllegalArgumentException("no element with Z=" + z);
        }
        return EdgeEnergyTable.SYMBOLS[z - 1];
    }

    /** True if edge energies are tabulated for Z. */
    public static boolean isTabulated(int z) {
        return z >= Z_MIN && z <= Z_MAX;
    }

    /** Tabulated energy (eV) of {@code edge} for element Z in 20-92. */
    public static double energy(int z, Edge edge) {
        if (!isTabulated(z)) {
            throw new IllegalArgumentException("edge energies are tabulated for Z " + Z_MIN + "-" + Z_MAX + ", not " + z);
        }
        return EdgeEnergyTable.ENERGIES[z - Z_MIN][edge.ordinal()];
    }

    /**
     * Tabulated energy (eV) of {@code edge} for the element named by {@code symbol}.
     *
     * @throws SpectrumRejectedException UNKNOWN_ELEMENT if the symbol is not an element with tabulated edges
     */
    public static double energy(String symbol, Edge edge) throws SpectrumRejectedException {
        return energy(requireTabulated(symbol), edge);
    }

    /**
     * Z of {@code symbol}, if its edges are tabulated.
     *
     * @throws SpectrumRejectedException UNKNOWN_ELEMENT otherwise
     */
    public static int requireTabulated(String symbol) throws SpectrumRejectedException {
        OptionalInt z = atomicNumber(symbol);
        if (z.isEmpty()) {
            throw new SpectrumRejectedException(ReasonCode.UNKNOWN_ELEMENT, "not a chemical element: '" + symbol + "'");
        }
        if (!isTabulated(z.getAsInt())) {
            throw new SpectrumRejectedException(ReasonCode.UNKNOWN_ELEMENT,
                    symbol + " (Z=" + z.getAsInt() + ") is outside the tabulated range Z " + Z_MIN + "-" + Z_MAX);
        }
        return z.getAsInt();
    }

    /**
     * Checks that {@code e0} lies in {@code window} around the tabulated energy of {@code edge} of element Z.
     *
     * @throws SpectrumRejectedException EDGE_NOT_FOUND if it does not
     */
    public static void checkEdgeWindow(int z, Edge edge, double e0, EdgeWindow window)
            throws SpectrumRejectedException {
        double tab = energy(z, edge);
        if (!window.contains(tab, e0)) {
            throw new SpectrumRejectedException(ReasonCode.EDGE_NOT_FOUND, String.format(Locale.ROOT,
                    "E0 %.2f eV is not within %s %s edge %.1f eV (-%.1f/+%.1f eV)",
                    e0, symbol(z), edge, tab, window.below(), window.above()));
        }
    }
}
