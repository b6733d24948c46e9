package io.xasstream.inference.service;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.InferenceSettings;
import io.xasstream.inference.loop.InferenceLoop;
import io.xasstream.inference.loop.LoopSettings;
import io.xasstream.inference.loop.Shadow;
import io.xasstream.inference.model.LoadedModel;
import io.xasstream.inference.model.ModelManifest;
import io.xasstream.inference.model.ModelRegistry;
import io.xasstream.inference.model.SessionSettings;
import io.xasstream.inference.predict.Predictor;
import io.xasstream.schema.result.InferenceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference service: models loaded and warmed from the manifest, then the exactly-once loop on its own threads
 * from the spectra topic to a results topic, dead letters included, and the model watcher for hot swaps.
 * {@link InferenceVerticle} runs it under the service host's Vert.x lifecycle.
 */
public final class InferenceService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);
    /** The watcher's poll returns within half a second of its wakeup; its consumer closes within 5 s. */
    private static final Duration WATCHER_STOP = Duration.ofSeconds(6);
    /** The longest {@link #close()} takes: the watcher, then the loop, one after the other. */
    public static final Duration STOP_TIMEOUT = WATCHER_STOP.plus(InferenceLoop.STOP_TIMEOUT).plusSeconds(1);

    private final PredictorHolder models;
    private final InferenceLoop loop;
    private final Thread thread;
    private final Optional<ModelWatcher> watcher;
    private final Optional<Thread> watcherThread;
    private final Optional<PredictorHolder> shadow;
    private final String name;

    private InferenceService(String name, PredictorHolder models, InferenceLoop loop, Optional<ModelWatcher> watcher,
                             Optional<PredictorHolder> shadow) {
        this.shadow = shadow;
        this.name = name;
        this.models = models;
        this.loop = loop;
        this.thread = new Thread(loop, name + "-poll");
        this.watcher = watcher;
        this.watcherThread = watcher.map(w -> new Thread(w, name + "-model-watcher"));
    }

    /** Where results go and under which identity (the live service, or a replay). */
    public record Target(Topic<String, InferenceResult> output, String groupId, String transactionalId,
                         String role, boolean followAnnouncements) {
        public static Target live(XasConfig cfg, Topics topics) {
            return new Target(topics.results, cfg.get(InferenceSettings.GROUP_ID),
                    cfg.get(InferenceSettings.TRANSACTIONAL_ID), "inference", true);
        }
    }

    /**
     * Loads the manifest's models (sha256 checked, sessions warmed) and starts consuming.
     *
     * @throws IOException when the models cannot be loaded: the service must not start without them
     */
    public static InferenceService start(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics,
                                         Readiness readiness, Target target) throws IOException {
        Path manifest = cfg.path(InferenceSettings.MODELS_MANIFEST, System.getenv());
        SessionSettings sessions = SessionSettings.from(cfg);
        ModelRegistry registry = ModelRegistry.load(manifest, sessions);
        PredictorHolder holder = new PredictorHolder(registry, Clock.systemUTC(), runTimer(metrics));
        String shadowManifest = cfg.get(InferenceSettings.SHADOW_MANIFEST);
        Optional<PredictorHolder> shadow = Optional.empty();
        if (target.followAnnouncements() && !shadowManifest.isBlank()) {
            shadow = Optional.of(new PredictorHolder(ModelRegistry.load(cfg.path(InferenceSettings.SHADOW_MANIFEST,
                    System.getenv()), sessions), Clock.systemUTC(), runTimer(metrics)));
        }
        InferenceLoop loop = new InferenceLoop(loopSettings(cfg, topics, clients, target), holder,
                shadow.map(s -> Shadow.of(s, topics.resultsShadow)).orElse(Shadow.none()), metrics);
        // Replays pin their model version: only the live service follows announcements.
        Optional<ModelWatcher> watcher = target.followAnnouncements() ? Optional.of(new ModelWatcher(
                clients.consumer(target.role() + "-models", null), topics.models, holder, sessions, Instant.now()))
                : Optional.empty();
        InferenceService service = new InferenceService(target.role(), holder, loop, watcher, shadow);
        readiness.register(target.role() + ".models", () -> !holder.current().registry().models().isEmpty());
        readiness.register(target.role() + ".loop", loop::isRunning);
        readiness.register(target.role() + ".partitions", () -> !loop.assignment().isEmpty());
        service.thread.start();
        service.watcherThread.ifPresent(Thread::start);
        LOG.info("{}: {} model(s) from {} → {}", target.role(), registry.models().size(), manifest,
                target.output().name());
        return service;
    }

    private static LoopSettings loopSettings(XasConfig cfg, Topics topics, KafkaClients clients, Target target) {
        Properties consumer = clients.consumer(target.role(), target.groupId());
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(cfg.get(InferenceSettings.MAX_BATCH)));
        consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return LoopSettings.builder().consumer(consumer)
                .producer(clients.transactionalProducer(target.role(), target.transactionalId()))
                .input(topics.spectra).output(target.output()).rejected(topics.rejected)
                .maxMessageBytes(cfg.get(XasConfig.MAX_MESSAGE_BYTES))
                .maxWait(Duration.ofMillis(cfg.get(InferenceSettings.MAX_WAIT_MS))).role(target.role()).build();
    }

    /** Records each model run's ONNX Runtime time in the per-model latency histogram. */
    static Predictor.RunListener runTimer(XasMetrics metrics) {
        return (model, batch, nanos) -> metrics.inferenceLatency(model.entry().ref()).record(nanos,
                TimeUnit.NANOSECONDS);
    }

    /** The loaded models for /models: id, version, task, element/edge, sha256, device, sessions, grid. */
    public JsonObject describeModels() {
        JsonArray list = new JsonArray();
        ModelRegistry registry = models.current().registry();
        for (LoadedModel m : registry.models()) {
            ModelManifest.Entry e = m.entry();
            list.add(new JsonObject(Map.of("id", e.id(), "version", e.version(), "task", e.task(),
                    "element", e.element(), "edge", e.edge(), "sha256", e.sha256(), "device", m.device(),
                    "sessions", m.sessions(), "inputPoints", m.inputSize(), "file", e.file())));
        }
        JsonObject out = new JsonObject().put("manifest", registry.manifestFile().toString()).put("models", list)
                .put("answered", loop.answered());
        shadow.ifPresent(s -> {
            JsonArray shadows = new JsonArray();
            s.current().registry().models().forEach(m -> shadows.add(new JsonObject(Map.of("id", m.entry().id(),
                    "version", m.entry().version(), "task", m.entry().task(), "sha256", m.entry().sha256()))));
            out.put("shadow", shadows);
        });
        return out;
    }

    public InferenceLoop loop() {
        return loop;
    }

    public PredictorHolder models() {
        return models;
    }

    /** Stops the watcher, then the loop (which commits what it holds), within {@link #STOP_TIMEOUT}. */
    @Override
    public void close() {
        try {
            if (watcher.isPresent()) {
                watcher.get().stop();
                watcherThread.get().join(WATCHER_STOP.toMillis());
            }
            loop.stop();
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            models.close();
            shadow.ifPresent(PredictorHolder::close);
            LOG.info("{} stopped after {} spectra", name, loop.answered());
        }
    }
}
