package io.xasstream.common.management;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/** Named checks that must all pass before a service is ready (models loaded, partitions assigned ...). */
public final class Readiness {
    private final Map<String, BooleanSupplier> checks = new ConcurrentHashMap<>();

    public void register(String name, BooleanSupplier check) {
        checks.put(name, check);
    }

    public void remove(String name) {
        checks.remove(name);
    }

    /** Each check's current answer, by name (a check that throws counts as not ready). */
    public Map<String, Boolean> status() {
        Map<String, Boolean> out = new LinkedHashMap<>();
        checks.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            boolean ok;
            try {
                ok = e.getValue().getAsBoolean();
            } catch (RuntimeException ex) {
                ok = false;
            }
            out.put(e.getKey(), ok);
        });
        return out;
    }

    public boolean ready() {
        return status().values().stream().allMatch(Boolean::booleanValue);
    }
}
