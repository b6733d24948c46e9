package io.xasstream.loadtests.loadgen;

import java.util.Locale;
import java.util.Set;

/** The load tools load this machine only: a bootstrap address elsewhere is refused, never loaded by mistake. */
public final class Loopback {
    private static final Set<String> HOSTS = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

    private Loopback() {
    }

    /** @throws IllegalArgumentException unless every address of the list is a loopback one */
    public static void require(String bootstrapServers) {
        for (String address : bootstrapServers.split(",")) {
            String a = address.trim();
            int colon = a.lastIndexOf(':');
            String host = (colon > 0 ? a.substring(0, colon) : a).toLowerCase(Locale.ROOT);
            if (!HOSTS.contains(host) && !host.startsWith("127.")) {
                throw new IllegalArgumentException("the load tools run on loopback only, not against " + a);
            }
        }
    }
}
