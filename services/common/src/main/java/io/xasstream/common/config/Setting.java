package io.xasstream.common.config;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration setting, declared once: name, type, default, validation, whether it is secret, and its doc.
 *
 * @param <T> the value type
 */
public final class Setting<T> {
    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final Predicate<T> valid;
    private final String rule;
    private final boolean secret;
    private final String doc;

    private Setting(String name, String type, Function<String, T> parser, T defaultValue, Predicate<T> valid,
                    String rule, boolean secret, String doc) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.valid = valid;
        this.rule = rule;
        this.secret = secret;
        this.doc = doc;
        if (!valid.test(defaultValue)) {
            throw new IllegalStateException("default of " + name + " violates its own rule: " + rule);
        }
    }

    public static Setting<String> string(String name, String defaultValue, String doc) {
        return new Setting<>(name, "string", s -> s, defaultValue, v -> true, "", false, doc);
    }

    public static Setting<String> secret(String name, String doc) {
        return new Setting<>(name, "string (secret)", s -> s, "", v -> true, "", true, doc);
    }

    public static Setting<Integer> integer(String name, int defaultValue, int min, int max, String doc) {
        return new Setting<>(name, "int", Integer::valueOf, defaultValue, v -> v >= min && v <= max,
                "between " + min + " and " + max, false, doc);
    }

    public static Setting<Long> longValue(String name, long defaultValue, long min, String doc) {
        return new Setting<>(name, "long", Long::valueOf, defaultValue, v -> v >= min, ">= " + min, false, doc);
    }

    public static Setting<Double> decimal(String name, double defaultValue, double minExclusive, String doc) {
        return new Setting<>(name, "double", Double::valueOf, defaultValue,
                v -> Double.isFinite(v) && v > minExclusive, "finite and > " + minExclusive, false, doc);
    }

    public static Setting<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new Setting<>(name, "boolean", Setting::parseBoolean, defaultValue, v -> true, "", false, doc);
    }

    public static <E extends Enum<E>> Setting<E> oneOf(String name, Class<E> type, E defaultValue, String doc) {
        StringBuilder choices = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            choices.append(choices.length() == 0 ? "" : ", ").append(token(e));
        }
        return new Setting<>(name, "one of " + choices, s -> parseEnum(type, s), defaultValue, v -> true,
                "", false, doc);
    }

    /** The config-file spelling of an enum constant: lower case with dashes. */
    public static String token(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String s) {
        for (E e : type.getEnumConstants()) {
            if (token(e).equalsIgnoreCase(s.trim()) || e.name().equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of the allowed values");
    }

    private static Boolean parseBoolean(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("yes") || v.equals("1")) {
            return Boolean.TRUE;
        }
        if (v.equals("false") || v.equals("no") || v.equals("0")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("'" + s + "' is not a boolean");
    }

    /** Parses and validates a raw value; the message names the setting and the rule broken. */
    public T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw.trim());
        } catch (RuntimeException e) {
            throw new ConfigException(name + ": cannot read '" + (secret ? "****" : raw) + "' as " + type
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
        if (!valid.test(value)) {
            throw new ConfigException(name + ": " + (secret ? "****" : value) + " is not " + rule);
        }
        return value;
    }

    public String name() {
        return name;
    }

    public String type() {
        return type;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String rule() {
        return rule;
    }

    public boolean secret() {
        return secret;
    }

    public String doc() {
        return doc;
    }

    /** The environment variable that overrides this setting: XASSTREAM_ + name in upper case, dots and dashes as _. */
    public String envName() {
        return "XASSTREAM_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return name;
    }
}
