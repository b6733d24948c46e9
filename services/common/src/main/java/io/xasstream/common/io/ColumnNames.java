package io.xasstream.common.io;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Canonical column names: the many spellings beamlines use for energy, mu and detector channels. */
final class ColumnNames {
    static final String ENERGY = "energy";
    static final String I0 = "i0";
    static final String ITRANS = "itrans";
    static final String IFLUOR = "ifluor";
    static final String IREFER = "irefer";
    static final String MUREFER = "murefer";

    /** Columns that already hold mu(E) (or normalised mu), most preferred first. */
    static final List<String> MU_DIRECT = List.of("mutrans", "mufluor", "mu", "normtrans", "normfluor");

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("energy", ENERGY), Map.entry("e", ENERGY), Map.entry("energy_ev", ENERGY),
            Map.entry("energy(ev)", ENERGY), Map.entry("ev", ENERGY),
            Map.entry("i0", I0), Map.entry("io", I0),
            Map.entry("itrans", ITRANS), Map.entry("i1", ITRANS), Map.entry("it", ITRANS),
            Map.entry("ifluor", IFLUOR), Map.entry("if", IFLUOR), Map.entry("ifl", IFLUOR),
            Map.entry("irefer", IREFER), Map.entry("iref", IREFER), Map.entry("i2", IREFER),
            Map.entry("mutrans", "mutrans"), Map.entry("mu_trans", "mutrans"), Map.entry("xmu", "mu"),
            Map.entry("mu", "mu"), Map.entry("mufluor", "mufluor"), Map.entry("mu_fluor", "mufluor"),
            Map.entry("normtrans", "normtrans"), Map.entry("normfluor", "normfluor"),
            Map.entry("murefer", MUREFER), Map.entry("mu_refer", MUREFER), Map.entry("muref", MUREFER));

    private ColumnNames() {
    }

    static String canonical(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(n, n);
    }
}
