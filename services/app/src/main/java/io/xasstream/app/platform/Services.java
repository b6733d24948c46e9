package io.xasstream.app.platform;

import io.xasstream.inference.service.InferenceService;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The xasstream services on one host (inference, monitor), started in order and closed in reverse. */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    private final InferenceService inference;

    private Services(InferenceService inference) {
        this.inference = inference;
    }

    /** Starts every service against the platform's Kafka and registers their routes on the management server. */
    public static Services start(KafkaPlatform kafka, ServiceHost host) throws IOException {
        var cfg = kafka.config();
        InferenceService inference = InferenceService.start(cfg, kafka.topics(), kafka.clients(), host.metrics(),
                host.readiness(), InferenceService.Target.live(cfg, kafka.topics()));
        host.management().get("/models", ctx -> ctx.json(inference.describeModels()));
        return new Services(inference);
    }

    public InferenceService inference() {
        return inference;
    }

    @Override
    public void close() {
        try {
            inference.close();
        } catch (RuntimeException e) {
            LOG.warn("inference close: {}", e.toString());
        }
    }
}
