package io.xasstream.inference.service;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.schema.result.InferenceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference service: models loaded and warmed from the manifest, then the exactly-once loop on its own thread
 * from the spectra topic to a results topic (the live one, or a replay's versioned one), dead letters included.
 */
public final class InferenceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

    private final PredictorHolder models;
    private final InferenceLoop loop;
    private final Thread thread;
    private final ModelWatcher watcher;
    private final Thread watcherThread;
    private final PredictorHolder shadow;
    private final String name;

    private InferenceService(String name, PredictorHolder models, InferenceLoop loop, ModelWatcher watcher,
                             PredictorHolder shadow) {
        this.shadow = shadow;
        this.name = name;
        this.models = models;
        this.loop = loop;
        this.thread = new Thread(loop, name + "-poll");
        this.watcher = watcher;
        this.watcherThread = watcher == null ? null : new Thread(watcher, name + "-model-watcher");
    }

    /** Where results go and under which identity (the live service, or a replay). */
    public record Target(Topic<String, InferenceResult> output, String groupId, String transactionalId,
                         String role, boolean followAnnouncements) {
        public static Target live(XasConfig cfg, Topics topics) {
            return new Target(topics.results, cfg.get(XasConfig.INFERENCE_GROUP_ID),
                    cfg.get(XasConfig.INFERENCE_TRANSACTIONAL_ID), "inference", true);
        }
    }

    /**
     * Loads the manifest's models (sha256 checked, sessions warmed) and starts consuming.
     *
     * @throws IOException when the models cannot be loaded: the service must not start without them
     */
    public static InferenceService start(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics,
                                         Readiness readiness, Target target) throws IOException {
        Path manifest = cfg.path(XasConfig.MODELS_MANIFEST, System.getenv());
        SessionSettings sessions = SessionSettings.from(cfg);
        ModelRegistry registry = ModelRegistry.load(manifest, sessions);
        PredictorHolder holder = new PredictorHolder(registry, Clock.systemUTC(), runTimer(metrics));

        Properties consumer = clients.consumer(target.role(), target.groupId());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(cfg.get(XasConfig.INFERENCE_MAX_BATCH)));
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Properties producer = clients.transactionalProducer(target.role(), target.transactionalId());
        String shadowManifest = cfg.get(XasConfig.SHADOW_MANIFEST);
        PredictorHolder shadow = null;
        if (target.followAnnouncements() && !shadowManifest.isBlank()) {
            shadow = new PredictorHolder(ModelRegistry.load(cfg.path(XasConfig.SHADOW_MANIFEST, System.getenv()),
                    sessions), Clock.systemUTC(), runTimer(metrics));
        }
        InferenceLoop.Settings settings = new InferenceLoop.Settings(consumer, producer, topics.spectra,
                target.output(), topics.rejected, cfg.get(XasConfig.MAX_MESSAGE_BYTES),
                Duration.ofMillis(cfg.get(XasConfig.INFERENCE_MAX_WAIT_MS)), target.role(), target.role(), null,
                shadow == null ? null : topics.resultsShadow);
        InferenceLoop loop = new InferenceLoop(settings, holder, shadow, metrics);
        // Replays pin their model version: only the live service follows announcements.
        ModelWatcher watcher = target.followAnnouncements() ? new ModelWatcher(clients.consumer(target.role()
                + "-models", null), topics.models, holder, sessions, java.time.Instant.now()) : null;
        InferenceService service = new InferenceService(target.role(), holder, loop, watcher, shadow);
        readiness.register(target.role() + ".models", () -> !holder.current().registry().models().isEmpty());
        readiness.register(target.role() + ".loop", loop::isRunning);
        readiness.register(target.role() + ".partitions", () -> !loop.assignment().isEmpty());
        service.thread.start();
        if (service.watcherThread != null) {
            service.watcherThread.start();
        }
        LOG.info("{}: {} model(s) from {} → {}", target.role(), registry.models().size(), manifest,
                target.output().name());
        return service;
    }

    /** Records each model run's ONNX Runtime time in the per-model latency histogram. */
    static io.xasstream.inference.predict.Predictor.RunListener runTimer(XasMetrics metrics) {
        return (model, batch, nanos) -> metrics.inferenceLatency(model.entry().ref())
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** The loaded models for /models: id, version, task, element/edge, sha256, device, sessions, grid. */
    public JsonObject describeModels() {
        JsonArray list = new JsonArray();
        ModelRegistry registry = models.current().registry();
        for (LoadedModel m : registry.models()) {
            var e = m.entry();
            list.add(new JsonObject(Map.of("id", e.id(), "version", e.version(), "task", e.task(),
                    "element", e.element(), "edge", e.edge(), "sha256", e.sha256(), "device", m.device(),
                    "sessions", m.sessions(), "inputPoints", m.inputSize(), "file", e.file())));
        }
        JsonObject out = new JsonObject().put("manifest", registry.manifestFile().toString()).put("models", list)
                .put("answered", loop.answered());
        if (shadow != null) {
            JsonArray shadows = new JsonArray();
            shadow.current().registry().models().forEach(m -> shadows.add(new JsonObject(Map.of("id", m.entry().id(),
                    "version", m.entry().version(), "task", m.entry().task(), "sha256", m.entry().sha256()))));
            out.put("shadow", shadows);
        }
        return out;
    }

    public InferenceLoop loop() {
        return loop;
    }

    public PredictorHolder models() {
        return models;
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.stop();
                watcherThread.join(10_000);
            }
            loop.stop();
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            models.close();
            if (shadow != null) {
                shadow.close();
            }
            LOG.info("{} stopped after {} spectra", name, loop.answered());
        }
    }
}
