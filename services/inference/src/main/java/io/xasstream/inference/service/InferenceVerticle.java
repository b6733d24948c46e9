package io.xasstream.inference.service;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import java.util.concurrent.TimeUnit;

/**
 * The inference service as a verticle of the service host: deploying it loads and warms the models and starts the
 * loop; undeploying it stops the loop (committing what it holds). Loading models and stopping Kafka clients block,
 * so both run on a worker executor this verticle owns, never on an event loop; the loop's stages run on their own
 * threads.
 */
public final class InferenceVerticle extends VerticleBase {
    /** Loading and warming every model on a busy 2-core machine takes minutes, not Vert.x's default minute. */
    private static final long MAX_BLOCKING_MINUTES = 10;

    private final XasConfig config;
    private final Topics topics;
    private final KafkaClients clients;
    private final XasMetrics metrics;
    private final Readiness readiness;
    private final InferenceService.Target target;
    private WorkerExecutor lifecycle;
    private volatile InferenceService service;

    public InferenceVerticle(XasConfig config, Topics topics, KafkaClients clients, XasMetrics metrics,
                             Readiness readiness, InferenceService.Target target) {
        this.config = config;
        this.topics = topics;
        this.clients = clients;
        this.metrics = metrics;
        this.readiness = readiness;
        this.target = target;
    }

    @Override
    public Future<?> start() {
        lifecycle = vertx.createSharedWorkerExecutor(target.role() + "-lifecycle", 1, MAX_BLOCKING_MINUTES,
                TimeUnit.MINUTES);
        return lifecycle.executeBlocking(() -> InferenceService.start(config, topics, clients, metrics, readiness,
                target)).onSuccess(s -> service = s).onFailure(e -> lifecycle.close());
    }

    @Override
    public Future<?> stop() {
        InferenceService s = service;
        if (s == null) {
            return lifecycle.close();
        }
        return lifecycle.executeBlocking(() -> {
            s.close();
            return null;
        }).eventually(() -> lifecycle.close());
    }

    /** The running service (after a successful deployment). */
    public InferenceService service() {
        InferenceService s = service;
        if (s == null) {
            throw new IllegalStateException(target.role() + " is not deployed");
        }
        return s;
    }

    /** What /models shows. */
    public JsonObject describeModels() {
        return service().describeModels();
    }
}
