package io.xasstream.common.config;

import io.xasstream.common.topics.TopicSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every setting of xasstream, declared once (the common ones here, each module's in its {@link SettingsGroup});
 * values come from defaults, then a YAML/properties file, then
 * {@code XASSTREAM_*} environment variables, then explicit overrides (command-line {@code --set}), last wins.
 *
 * <p>Keys under {@code kafka.client.} are passed to every Kafka client as they are (security, SASL, tuning);
 * their values are masked in {@link #toString()} when the key looks secret.
 */
public final class XasConfig {

    // --- Kafka ---
    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.string("bootstrap.servers", "",
            "Kafka cluster to use (host:port,...). Empty: start the in-process KRaft broker (demo, tests).");
    public static final Setting<String> EMBEDDED_DATA_DIR = Setting.string("kafka.embedded.data-dir", "",
            "Log directory of the embedded broker. Empty: a fresh temporary directory, deleted on exit.");
    public static final Setting<Integer> EMBEDDED_PORT = Setting.integer("kafka.embedded.port", 0, 0, 65535,
            "Listener port of the embedded broker; 0 picks a free port.");
    public static final Setting<String> CLIENT_ID_PREFIX = Setting.string("kafka.client-id-prefix", "xasstream",
            "Prefix of the client.id of every producer/consumer (shows in broker logs and metrics).");

    // --- topics ---
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.integer("topics.partitions", 3, 1, 10_000,
            "Partitions of every topic created by xasstream (one sample always maps to one partition).");
    public static final Setting<Integer> TOPIC_REPLICATION = Setting.integer("topics.replication-factor", 1, 1, 16,
            "Replication factor of created topics (3 on a production cluster).");
    public static final Setting<Boolean> TOPIC_CREATE = Setting.bool("topics.create", true,
            "Create missing topics at start-up (existing topics are left as they are).");
    public static final Setting<Long> SPECTRA_RETENTION_MS = Setting.longValue("topics.spectra.retention-ms", -1L,
            -1L, "Retention of the spectra topic in ms; -1 keeps everything (the archive that replay reads).");
    public static final Setting<Long> RESULTS_RETENTION_MS = Setting.longValue("topics.results.retention-ms",
            30L * 24 * 3600 * 1000, -1L, "Retention of result, rejected and alert topics in ms; -1 keeps everything.");

    // --- serialisation ---
    public static final Setting<SerdeFormat> SERDE_FORMAT = Setting.oneOf("serde.format", SerdeFormat.class,
            SerdeFormat.SINGLE_OBJECT, "Avro framing on the topics: single-object (schema fingerprint, no registry) "
                    + "or confluent (schema id from schema.registry.url).");
    public static final Setting<String> REGISTRY_URL = Setting.string("schema.registry.url", "",
            "Schema registry base URL; required when serde.format=confluent.");
    public static final Setting<String> REGISTRY_AUTH = Setting.secret("schema.registry.basic-auth",
            "user:password for the schema registry (HTTP basic auth); empty for none.");
    public static final Setting<Integer> MAX_MESSAGE_BYTES = Setting.integer("serde.max-message-bytes",
            8 * 1024 * 1024, 1024, Integer.MAX_VALUE, "Largest spectrum message accepted; larger ones are dead-lettered.");

    // --- management ---
    public static final Setting<String> MANAGEMENT_HOST = Setting.string("management.host", "127.0.0.1",
            "Interface of the management server (/health, /ready, /metrics); 0.0.0.0 in containers.");
    public static final Setting<Integer> MANAGEMENT_PORT = Setting.integer("management.port", 8081, 0, 65535,
            "Port of the management server; 0 picks a free port.");

    /** Prefix of settings passed verbatim to every Kafka client. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    /** The settings every module shares; each module adds its own as a {@link SettingsGroup}. */
    private static final List<Setting<?>> COMMON = Stream.of(List.<Setting<?>>of(
            BOOTSTRAP_SERVERS, EMBEDDED_DATA_DIR, EMBEDDED_PORT, CLIENT_ID_PREFIX,
            TOPIC_PARTITIONS, TOPIC_REPLICATION, TOPIC_CREATE, SPECTRA_RETENTION_MS, RESULTS_RETENTION_MS,
            SERDE_FORMAT, REGISTRY_URL, REGISTRY_AUTH, MAX_MESSAGE_BYTES,
            MANAGEMENT_HOST, MANAGEMENT_PORT), TopicSettings.ALL).flatMap(List::stream).toList();

    /** Found once: the common settings, then every group on the class path by rank. */
    private static final class Declared {
        static final List<Setting<?>> ALL = discover();

        private static List<Setting<?>> discover() {
            List<SettingsGroup> groups = new ArrayList<>();
            ServiceLoader.load(SettingsGroup.class, XasConfig.class.getClassLoader()).forEach(groups::add);
            groups.sort(Comparator.comparingInt(SettingsGroup::rank).thenComparing(g -> g.getClass().getName()));
            List<Setting<?>> all = new ArrayList<>(COMMON);
            groups.forEach(g -> all.addAll(g.settings()));
            Set<String> names = new HashSet<>();
            for (Setting<?> s : all) {
                if (!names.add(s.name())) {
                    throw new IllegalStateException("setting " + s.name() + " is declared twice");
                }
            }
            return List.copyOf(all);
        }
    }

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> origins;
    private final Map<String, String> kafkaClient;

    private XasConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> origins, Map<String, String> kafkaClient) {
        this.values = values;
        this.origins = origins;
        this.kafkaClient = kafkaClient;
    }

    /** Every declared setting, in documentation order: the common ones, then each module's group. */
    public static List<Setting<?>> settings() {
        return Declared.ALL;
    }

    /** Defaults only. */
    public static XasConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * Resolves the configuration.
     *
     * @param file      YAML (.yaml/.yml, nested or dotted keys) or .properties file; may be null
     * @param env       environment variables (XASSTREAM_* are read)
     * @param overrides explicit name=value pairs, applied last
     * @throws ConfigException naming the setting when a value is unknown or invalid
     */
    public static XasConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        List<Setting<?>> settings = settings();
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        settings.forEach(s -> byName.put(s.name(), s));

        Map<Setting<?>, Object> values = new LinkedHashMap<>();
        Map<Setting<?>, String> origins = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            values.put(s, s.defaultValue());
            origins.put(s, "default");
        }
        Map<String, String> kafkaClient = new TreeMap<>();

        if (file != null) {
            Map<String, String> fromFile = readFile(file);
            apply(fromFile, byName, values, origins, kafkaClient, "file " + file);
        }
        Map<String, String> fromEnv = new LinkedHashMap<>();
        for (Setting<?> s : settings) {
            String v = env.get(s.envName());
            if (v != null) {
                fromEnv.put(s.name(), v);
            }
        }
        env.forEach((k, v) -> {
            if (k.startsWith("XASSTREAM_KAFKA_CLIENT_")) {
                String key = k.substring("XASSTREAM_KAFKA_CLIENT_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                fromEnv.put(KAFKA_CLIENT_PREFIX + key, v);
            }
        });
        apply(fromEnv, byName, values, origins, kafkaClient, "environment");
        apply(overrides, byName, values, origins, kafkaClient, "override");

        XasConfig config = new XasConfig(values, origins, Collections.unmodifiableMap(kafkaClient));
        config.checkConsistency();
        return config;
    }

    private static void apply(Map<String, String> raw, Map<String, Setting<?>> byName, Map<Setting<?>, Object> values,
                              Map<Setting<?>, String> origins, Map<String, String> kafkaClient, String origin) {
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String key = e.getKey().trim();
            if (key.startsWith(KAFKA_CLIENT_PREFIX)) {
                kafkaClient.put(key.substring(KAFKA_CLIENT_PREFIX.length()), e.getValue());
                continue;
            }
            Setting<?> s = byName.get(key);
            if (s == null) {
                throw new ConfigException("unknown setting '" + key + "' (" + origin + "); run './xasstream config' "
                        + "for the list");
            }
            values.put(s, s.parse(e.getValue()));
            origins.put(s, origin);
        }
    }

    private void checkConsistency() {
        if (get(SERDE_FORMAT) == SerdeFormat.CONFLUENT && get(REGISTRY_URL).isBlank()) {
            throw new ConfigException(SERDE_FORMAT.name() + "=confluent needs " + REGISTRY_URL.name());
        }
    }

    private static Map<String, String> readFile(Path file) {
        Map<String, String> flat = new LinkedHashMap<>();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (Reader reader = Files.newBufferedReader(file)) {
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                p.load(reader);
                p.stringPropertyNames().forEach(k -> flat.put(k, p.getProperty(k)));
            } else {
                Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
                if (root != null && !(root instanceof Map)) {
                    throw new ConfigException(file + ": the top level must be a mapping of settings");
                }
                if (root != null) {
                    flatten("", (Map<?, ?>) root, flat);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        } catch (RuntimeException e) {
            if (e instanceof ConfigException) {
                throw e;
            }
            throw new ConfigException("cannot parse configuration file " + file + ": " + e.getMessage());
        }
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out) {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(key, nested, out);
            } else {
                out.put(key, e.getValue() == null ? "" : String.valueOf(e.getValue()));
            }
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        if (!values.containsKey(setting)) {
            throw new IllegalArgumentException("setting " + setting.name() + " was not declared when this config "
                    + "was loaded");
        }
        return (T) values.get(setting);
    }

    /** Where the value of a setting came from: default, file ..., environment or override. */
    public String origin(Setting<?> setting) {
        return origins.getOrDefault(setting, "default");
    }

    /** A path setting resolved against XASSTREAM_HOME when relative (the launcher sets it to the repository). */
    public Path path(Setting<String> setting, Map<String, String> env) {
        Path p = Path.of(get(setting));
        String home = env.get("XASSTREAM_HOME");
        return p.isAbsolute() || home == null || home.isBlank() ? p : Path.of(home).resolve(p);
    }

    /** True when no external cluster is configured, i.e. the embedded broker must be started. */
    public boolean embedded() {
        return get(BOOTSTRAP_SERVERS).isBlank();
    }

    /** Extra Kafka client properties ({@code kafka.client.*} without the prefix). */
    public Map<String, String> kafkaClientProperties() {
        return kafkaClient;
    }

    /** A copy of this configuration with the given overrides applied (e.g. the embedded broker's address). */
    public XasConfig with(Map<String, String> overrides) {
        Map<Setting<?>, Object> copy = new LinkedHashMap<>(values);
        Map<Setting<?>, String> copyOrigins = new LinkedHashMap<>(origins);
        Map<String, String> copyClient = new TreeMap<>(kafkaClient);
        Map<String, Setting<?>> byName = new LinkedHashMap<>();
        values.keySet().forEach(s -> byName.put(s.name(), s));
        apply(overrides, byName, copy, copyOrigins, copyClient, "override");
        XasConfig config = new XasConfig(copy, copyOrigins, Collections.unmodifiableMap(copyClient));
        config.checkConsistency();
        return config;
    }

    static boolean looksSecret(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.contains("jaas") || k.contains("token")
                || k.contains("key") && !k.contains("keystore.type") && !k.contains("key.serializer")
                && !k.contains("key.deserializer");
    }

    /** All values, secrets masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("XasConfig{");
        String sep = "";
        for (Map.Entry<Setting<?>, Object> e : values.entrySet()) {
            Object v = e.getKey().secret() && !String.valueOf(e.getValue()).isEmpty() ? "****" : e.getValue();
            sb.append(sep).append(e.getKey().name()).append('=').append(v);
            sep = ", ";
        }
        for (Map.Entry<String, String> e : kafkaClient.entrySet()) {
            sb.append(sep).append(KAFKA_CLIENT_PREFIX).append(e.getKey()).append('=')
                    .append(looksSecret(e.getKey()) ? "****" : e.getValue());
            sep = ", ";
        }
        return sb.append('}').toString();
    }
}
