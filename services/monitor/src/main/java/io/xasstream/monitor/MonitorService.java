package io.xasstream.monitor;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.monitor.query.MonitorQueries;
import io.xasstream.monitor.stream.MonitorTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operando monitor: the {@link MonitorTopology} on KafkaStreams (exactly-once v2, so consumers read
 * committed), its metrics in {@link XasMetrics}, a readiness check, and the query API.
 *
 * <pre>
 * MonitorService monitor = new MonitorService(config, topics, metrics, readiness);
 * monitor.start();
 * MonitorRoutes.mount(router, monitor.queries());   // on the host's HTTP server
 * ...
 * monitor.close();
 * </pre>
 */
public final class MonitorService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorService.class);
    public static final String READINESS_CHECK = "monitor";

    private final XasConfig config;
    private final Topics topics;
    private final XasMetrics metrics;
    private final Readiness readiness;
    private final MonitorConfig monitorConfig;
    private KafkaStreams streams;
    private Path tempStateDir;
    private MonitorQueries queries;

    /**
     * @param config    with bootstrap.servers set (the embedded broker's address in the demo)
     * @param metrics   where the Kafka Streams metrics go (may be null)
     * @param readiness where the check "monitor" (streams RUNNING) goes (may be null)
     */
    public MonitorService(XasConfig config, Topics topics, XasMetrics metrics, Readiness readiness) {
        this.config = config;
        this.topics = topics;
        this.metrics = metrics;
        this.readiness = readiness;
        this.monitorConfig = MonitorConfig.from(config);
    }

    /** Builds the topology and starts Kafka Streams (returns at once; {@link #running()} tells when it runs). */
    public synchronized MonitorService start() {
        if (streams != null) {
            throw new IllegalStateException("monitor already started");
        }
        streams = new KafkaStreams(MonitorTopology.build(monitorConfig, topics), properties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("monitor stream thread failed; replacing it", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        if (metrics != null) {
            KafkaStreamsMetrics binder = new KafkaStreamsMetrics(streams);
            binder.bindTo(metrics.meters());
            metrics.keep(binder);
        }
        if (readiness != null) {
            readiness.register(READINESS_CHECK, this::running);
        }
        KafkaStreams running = streams;
        queries = new MonitorQueries(new MonitorQueries.StoreProvider() {
            @Override
            public <V> ReadOnlyKeyValueStore<String, V> store(String name) {
                return running.store(StoreQueryParameters.fromNameAndType(name,
                        QueryableStoreTypes.<String, V>keyValueStore()));
            }
        }, monitorConfig);
        streams.start();
        LOG.info("monitor started (application.id {}, results from {})", config.get(MonitorSettings.APPLICATION_ID),
                topics.results.name());
        return this;
    }

    Properties properties() {
        Properties p = new Properties();
        p.putAll(new KafkaClients(config).common("monitor"));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get(MonitorSettings.APPLICATION_ID));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(config.get(MonitorSettings.COMMIT_INTERVAL_MS)));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(config.get(XasConfig.TOPIC_REPLICATION)));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        p.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        return p;
    }

    private Path stateDir() {
        String dir = config.get(MonitorSettings.STATE_DIR);
        if (!dir.isBlank()) {
            return Path.of(dir);
        }
        try {
            tempStateDir = Files.createTempDirectory("xasstream-monitor-");
            return tempStateDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory for the monitor", e);
        }
    }

    /** True while Kafka Streams is RUNNING (the readiness check). */
    public boolean running() {
        KafkaStreams s = streams;
        return s != null && s.state() == KafkaStreams.State.RUNNING;
    }

    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? KafkaStreams.State.CREATED : s.state();
    }

    public MonitorConfig monitorConfig() {
        return monitorConfig;
    }

    /** Store reads for the query API (after {@link #start()}). */
    public MonitorQueries queries() {
        if (queries == null) {
            throw new IllegalStateException("monitor not started");
        }
        return queries;
    }

    /** Stops Kafka Streams (commits, closes the stores; the state directory is kept unless it was temporary). */
    @Override
    public synchronized void close() {
        if (readiness != null) {
            readiness.remove(READINESS_CHECK);
        }
        if (streams != null) {
            // leave the group: a restarted monitor gets its partitions at once, not after the session timeout
            if (!streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
                LOG.warn("monitor did not stop within 30 s");
            }
            streams = null;
        }
        if (tempStateDir != null) {
            deleteRecursively(tempStateDir);
            tempStateDir = null;
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temporary directory
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", dir, e.toString());
        }
    }
}
