package io.xasstream.common.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every setting of xasstream, declared once; values come from defaults, then a YAML/properties file, then
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

    // --- models / inference ---
    public static final Setting<String> MODELS_MANIFEST = Setting.string("models.manifest", "models/manifest.json",
            "Model manifest; a relative path is resolved against XASSTREAM_HOME (set by ./xasstream), else the "
                    + "working directory.");
    public static final Setting<ExecutionDevice> EXECUTION_PROVIDER = Setting.oneOf("inference.execution-provider",
            ExecutionDevice.class, ExecutionDevice.AUTO, "ONNX Runtime execution provider: cpu, cuda, or auto "
                    + "(CUDA when it loads, else CPU with one warning).");
    public static final Setting<String> SHADOW_MANIFEST = Setting.string("inference.shadow-manifest", "",
            "Manifest of a shadow model set run on the same spectra, its results to xas.results.shadow for comparison "
                    + "(./xasstream compare xas.results xas.results.shadow); empty: no shadow.");
    public static final Setting<Integer> INTRA_OP_THREADS = Setting.integer("inference.intra-op-threads", 0, 0, 256,
            "ONNX Runtime threads per model session; 0 lets ONNX Runtime choose.");
    public static final Setting<Integer> SESSIONS_PER_MODEL = Setting.integer("inference.sessions-per-model", 1, 1,
            64, "ONNX Runtime sessions of each model on its device: a batch of at least 32 spectra per session is "
                    + "split across them and run concurrently (on CPU, e.g. 2 sessions x 1 intra-op thread on 2 cores); "
                    + "each session holds its own copy of the weights.");

    public static final Setting<String> INFERENCE_GROUP_ID = Setting.string("inference.group-id",
            "xasstream-inference", "Consumer group of the live inference service (replays use their own).");
    public static final Setting<String> INFERENCE_TRANSACTIONAL_ID = Setting.string("inference.transactional-id",
            "xasstream-inference-1", "Transactional id of this inference instance: unique per instance, stable "
                    + "across its restarts (a restarted instance fences its zombie).");
    public static final Setting<Integer> INFERENCE_MAX_BATCH = Setting.integer("inference.max-batch", 256, 1, 100_000,
            "Most spectra in one ONNX run per model (and records per poll): a batch grows up to this while the "
                    + "previous one is inferred; a full batch that must wait pauses the partitions.");
    public static final Setting<Integer> INFERENCE_MAX_WAIT_MS = Setting.integer("inference.max-wait-ms", 5, 0, 60_000,
            "Longest an idle poll waits for records; a spectrum never waits for a batch to fill, it goes to "
                    + "inference as soon as the inference stage is free.");

    // --- monitor (Kafka Streams) ---
    public static final Setting<String> MONITOR_APPLICATION_ID = Setting.string("monitor.application-id",
            "xasstream-monitor", "Kafka Streams application.id of the operando monitor (its consumer group and "
                    + "changelog prefix).");
    public static final Setting<String> MONITOR_STATE_DIR = Setting.string("monitor.state-dir", "",
            "Kafka Streams state directory; empty: a temporary directory.");
    public static final Setting<Integer> MONITOR_WINDOW_COUNT = Setting.integer("monitor.window.count", 20, 2, 100_000,
            "Rolling statistics over the last N results of a sample.");
    public static final Setting<Long> MONITOR_WINDOW_MS = Setting.longValue("monitor.window.duration-ms", 60_000L, 1L,
            "Rolling statistics over the results of the last T milliseconds (acquisition time).");
    public static final Setting<Double> MONITOR_CUSUM_THRESHOLD = Setting.decimal("monitor.cusum.threshold", 5.0, 0.0,
            "Change-point decision threshold h (in standard deviations) of the CUSUM detector.");
    public static final Setting<Double> MONITOR_CUSUM_DRIFT = Setting.decimal("monitor.cusum.drift", 0.5, 0.0,
            "CUSUM allowance k (in standard deviations): shifts smaller than about 2k are ignored.");
    public static final Setting<Integer> MONITOR_HTTP_PORT = Setting.integer("monitor.http.port", 8082, 0, 65535,
            "Port of the monitor's query API (sample state, time series, alerts); 0 picks a free port.");

    // --- demo ---
    public static final Setting<String> DEMO_SERIES = Setting.string("demo.series", "fe-reduction,cu-reduction",
            "Bundled synthetic operando series the demo streams in, comma-separated (fe-reduction, cu-reduction, "
                    + "ni-cycling); each is one sample.");
    public static final Setting<Double> DEMO_RATE = Setting.decimal("demo.rate", 2.0, 0.0,
            "Spectra per second the demo publishes per series.");
    public static final Setting<Boolean> DEMO_LOOP = Setting.bool("demo.loop", true,
            "Start the series again (as a new experiment) when it ends.");

    /** Prefix of settings passed verbatim to every Kafka client. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

    private static final List<Setting<?>> ALL = java.util.stream.Stream.of(List.<Setting<?>>of(
            BOOTSTRAP_SERVERS, EMBEDDED_DATA_DIR, EMBEDDED_PORT, CLIENT_ID_PREFIX,
            TOPIC_PARTITIONS, TOPIC_REPLICATION, TOPIC_CREATE, SPECTRA_RETENTION_MS, RESULTS_RETENTION_MS,
            SERDE_FORMAT, REGISTRY_URL, REGISTRY_AUTH, MAX_MESSAGE_BYTES,
            MANAGEMENT_HOST, MANAGEMENT_PORT,
            MODELS_MANIFEST, SHADOW_MANIFEST, EXECUTION_PROVIDER, INTRA_OP_THREADS, SESSIONS_PER_MODEL,
            INFERENCE_GROUP_ID, INFERENCE_TRANSACTIONAL_ID, INFERENCE_MAX_BATCH, INFERENCE_MAX_WAIT_MS,
            MONITOR_APPLICATION_ID, MONITOR_STATE_DIR, MONITOR_WINDOW_COUNT, MONITOR_WINDOW_MS,
            MONITOR_CUSUM_THRESHOLD, MONITOR_CUSUM_DRIFT, MONITOR_HTTP_PORT,
            DEMO_SERIES, DEMO_RATE, DEMO_LOOP),
            io.xasstream.common.topics.TopicSettings.ALL).flatMap(List::stream).toList();

    private final Map<Setting<?>, Object> values;
    private final Map<Setting<?>, String> origins;
    private final Map<String, String> kafkaClient;

    private XasConfig(Map<Setting<?>, Object> values, Map<Setting<?>, String> origins, Map<String, String> kafkaClient) {
        this.values = values;
        this.origins = origins;
        this.kafkaClient = kafkaClient;
    }

    /** Every declared setting, in documentation order. */
    public static List<Setting<?>> settings() {
        return ALL;
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
    public java.nio.file.Path path(Setting<String> setting, Map<String, String> env) {
        java.nio.file.Path p = java.nio.file.Path.of(get(setting));
        String home = env.get("XASSTREAM_HOME");
        return p.isAbsolute() || home == null || home.isBlank() ? p : java.nio.file.Path.of(home).resolve(p);
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
