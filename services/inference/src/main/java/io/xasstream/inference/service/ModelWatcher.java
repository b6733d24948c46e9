package io.xasstream.inference.service;

import io.xasstream.common.topics.Topic;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.schema.model.ModelAction;
import io.xasstream.schema.model.ModelAnnouncement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the models topic: an ACTIVATE announcement newer than this service's start whose manifest
 * ({@code metadata.manifest}) is not the live one is loaded and warmed beside the live models, then switched in
 * between two batches — no gap, and no spectrum answered by both versions.
 */
public final class ModelWatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);
    /** Metadata key of an announcement that names the manifest holding the announced model. */
    public static final String MANIFEST = "manifest";

    private final KafkaConsumer<byte[], ModelAnnouncement> consumer;
    private final Topic<String, ModelAnnouncement> topic;
    private final PredictorHolder holder;
    private final SessionSettings sessions;
    private final Instant since;
    private volatile boolean running = true;
    private volatile String lastError;

    public ModelWatcher(Properties consumerProps, Topic<String, ModelAnnouncement> topic, PredictorHolder holder,
                        SessionSettings sessions, Instant since) {
        this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                topic.valueSerde().deserializer());
        this.topic = topic;
        this.holder = holder;
        this.sessions = sessions;
        this.since = since;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<byte[], ModelAnnouncement> r : consumer.poll(Duration.ofMillis(500))) {
                    handle(r.value());
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.error("model watcher stopped", e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ModelAnnouncement a) {
        if (a == null || a.getAction() != ModelAction.ACTIVATE || a.getAnnouncedAt().isBefore(since)) {
            return; // history: the service started from its configured manifest
        }
        String manifest = a.getMetadata().get(MANIFEST);
        if (manifest == null) {
            lastError = a.getModelId() + "@" + a.getVersion() + ": announcement without metadata.manifest";
            LOG.warn(lastError);
            return;
        }
        Path path = Path.of(manifest);
        if (Objects.equals(holder.current().registry().manifestFile().toAbsolutePath(), path.toAbsolutePath())) {
            return;
        }
        try {
            ModelRegistry next = ModelRegistry.load(path, sessions); // loads, checks sha256, warms
            boolean announced = next.models().stream().map(LoadedModel::entry).anyMatch(e ->
                    e.id().equals(a.getModelId()) && e.version().equals(a.getVersion())
                            && e.sha256().equalsIgnoreCase(a.getSha256()));
            if (!announced) {
                next.close();
                lastError = path + " does not hold " + a.getModelId() + "@" + a.getVersion() + " with sha256 "
                        + a.getSha256();
                LOG.warn("hot swap refused: {}", lastError);
                return;
            }
            holder.swap(next);
            LOG.info("hot swap: now serving {} ({})", path, next.models().stream()
                    .map(m -> m.entry().ref()).toList());
        } catch (Exception e) {
            lastError = "cannot load " + path + ": " + e.getMessage();
            LOG.error("hot swap failed, keeping the live models: {}", lastError);
        }
    }

    public String lastError() {
        return lastError;
    }

    public void stop() {
        running = false;
        consumer.wakeup();
    }
}
