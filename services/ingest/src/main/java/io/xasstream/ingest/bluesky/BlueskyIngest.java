package io.xasstream.ingest.bluesky;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.profile.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link BlueskyTopology} on Kafka Streams with exactly-once v2: the open runs, the spectra and dead letters
 * and the consumed offsets commit in one transaction, so an adapter killed in the middle of a run restarts from
 * its last commit and still emits that run exactly once.
 */
public final class BlueskyIngest implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlueskyIngest.class);
    /** Spectra should reach read_committed consumers soon after the stop document: commit often. */
    static final long COMMIT_INTERVAL_MS = 100;

    private final XasConfig config;
    private final KafkaClients clients;
    private final KafkaStreams streams;
    private final KafkaStreamsMetrics binder;
    private final String applicationId;
    private Path tempStateDir;
    private volatile Throwable failure;

    private BlueskyIngest(XasConfig config, Topics topics, Pattern documents, Profile profile, IngestMetrics metrics,
                          MeterRegistry registry, int liveEvery) {
        this.config = config;
        this.clients = new KafkaClients(config);
        this.applicationId = config.get(IngestSettings.BLUESKY_APPLICATION_ID);
        this.streams = new KafkaStreams(BlueskyTopology.build(documents, topics, profile, metrics, liveEvery,
                RunLimits.from(config)), properties());
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Bluesky adapter stream thread failed", e);
            failure = e;
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.binder = registry == null ? null : new KafkaStreamsMetrics(streams);
        if (binder != null) {
            binder.bindTo(registry);
        }
        metrics.lag(this::lag);
    }

    /**
     * Starts the adapter (returns at once).
     *
     * @param documents topics to read, by pattern (topics created later are picked up too)
     * @param registry  where Kafka Streams' own metrics go (may be null)
     * @param liveEvery publish the partial scan every this many points; 0 for none
     */
    public static BlueskyIngest start(XasConfig config, Topics topics, Pattern documents, Profile profile,
                                      IngestMetrics metrics, MeterRegistry registry, int liveEvery) {
        BlueskyIngest ingest = new BlueskyIngest(config, topics, documents, profile, metrics, registry, liveEvery);
        ingest.streams.start();
        LOG.info("Bluesky adapter started (application.id {}, topics /{}/)", ingest.applicationId, documents);
        return ingest;
    }

    Properties properties() {
        Properties p = new Properties();
        p.putAll(clients.common("ingest-bluesky"));
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, String.valueOf(config.get(XasConfig.TOPIC_REPLICATION)));
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir().toString());
        p.put(StreamsConfig.consumerPrefix("isolation.level"), "read_committed");
        p.put(StreamsConfig.producerPrefix("max.request.size"), String.valueOf(16 * 1024 * 1024));
        p.putAll(config.kafkaClientProperties());
        return p;
    }

    private Path stateDir() {
        String dir = config.get(IngestSettings.BLUESKY_STATE_DIR);
        if (!dir.isBlank()) {
            return Path.of(dir);
        }
        try {
            tempStateDir = Files.createTempDirectory("xasstream-ingest-bluesky-");
            return tempStateDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state directory", e);
        }
    }

    /** The end offsets (read_committed) of every partition of the matching topics, now: what --once reads. */
    public static Map<TopicPartition, Long> endOffsets(XasConfig config, Pattern documents) {
        try (Admin admin = new KafkaClients(config).admin()) {
            var names = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(n -> documents.matcher(n).matches()).toList();
            if (names.isEmpty()) {
                return Map.of();
            }
            Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, d) ->
                    d.partitions().forEach(p -> specs.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of /" + documents + "/: " + e, e);
        }
    }

    /**
     * Waits until the adapter's committed offsets reach {@code ends} on every partition (everything there at the
     * start has been read and committed).
     *
     * @return false on timeout
     * @throws IllegalStateException when the adapter failed
     */
    public boolean awaitCommitted(Map<TopicPartition, Long> ends, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = clients.admin()) {
            while (System.nanoTime() < deadline) {
                checkAlive();
                Map<TopicPartition, OffsetAndMetadata> committed;
                try {
                    committed = admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    committed = Map.of();
                }
                boolean done = true;
                for (var e : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    if (e.getValue() > 0 && (c == null || c.offset() < e.getValue())) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    return true;
                }
                Thread.sleep(200);
            }
        }
        return false;
    }

    private void checkAlive() {
        KafkaStreams.State s = streams.state();
        if (failure != null || s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING
                || s == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException("the Bluesky adapter stopped (" + s + ")"
                    + (failure == null ? "" : ": " + failure));
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Records on the input partitions not yet read (the consumers' own records-lag metrics summed). */
    double lag() {
        double sum = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            if (e.getKey().name().equals("records-lag") && e.getValue().metricValue() instanceof Number n
                    && Double.isFinite(n.doubleValue())) {
                sum += n.doubleValue();
            }
        }
        return sum;
    }

    /** Stops cleanly (commits, leaves the group); the temporary state directory, if any, is deleted. */
    @Override
    public void close() {
        if (!streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
            LOG.warn("Bluesky adapter did not stop within 30 s");
        }
        if (binder != null) {
            binder.close();
        }
        if (tempStateDir != null) {
            try (var paths = Files.walk(tempStateDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.debug("cannot delete {}: {}", tempStateDir, e.toString());
            }
        }
    }
}
