package io.xasstream.inference.service;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import java.util.concurrent.TimeUnit;

/**
 * A replay as a verticle of the service host: deploying it loads the chosen model version and starts the loop to the
 * plan's end; {@link #done()} completes with the number of spectra answered when it gets there. Model loading and
 * the clients' close run on a worker executor this verticle owns, the loop on its own threads.
 */
public final class ReplayVerticle extends VerticleBase {
    private static final long MAX_BLOCKING_MINUTES = 10;

    private final XasConfig config;
    private final Topics topics;
    private final KafkaClients clients;
    private final XasMetrics metrics;
    private final Replay.Plan plan;
    private final Promise<Long> done = Promise.promise();
    private WorkerExecutor lifecycle;
    private volatile Replay.Running running;

    public ReplayVerticle(XasConfig config, Topics topics, KafkaClients clients, XasMetrics metrics, Replay.Plan plan) {
        this.config = config;
        this.topics = topics;
        this.clients = clients;
        this.metrics = metrics;
        this.plan = plan;
    }

    @Override
    public Future<?> start() {
        lifecycle = vertx.createSharedWorkerExecutor("replay-lifecycle", 1, MAX_BLOCKING_MINUTES, TimeUnit.MINUTES);
        return lifecycle.executeBlocking(() -> Replay.start(config, topics, clients, metrics, plan))
                .onSuccess(r -> {
                    running = r;
                    r.end().whenComplete((n, e) -> {
                        if (e == null) {
                            done.tryComplete(n);
                        } else {
                            done.tryFail(e);
                        }
                    });
                })
                .onFailure(e -> lifecycle.close());
    }

    @Override
    public Future<?> stop() {
        Replay.Running r = running;
        if (r == null) {
            return lifecycle.close();
        }
        return lifecycle.executeBlocking(() -> {
            r.close();
            return null;
        }).eventually(() -> lifecycle.close());
    }

    /** Completes with the spectra answered once the replay reached its end; fails when it stopped before. */
    public Future<Long> done() {
        return done.future();
    }

    /** Spectra answered or dead-lettered so far. */
    public long answered() {
        Replay.Running r = running;
        return r == null ? 0 : r.answered();
    }
}
