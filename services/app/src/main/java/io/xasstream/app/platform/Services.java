package io.xasstream.app.platform;

import io.xasstream.inference.service.InferenceService;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The xasstream services on one host (inference, monitor), started in order and closed in reverse. */
public final class Services implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Services.class);

    /** The services a process can run. */
    public enum Name { INFERENCE, MONITOR }

    private final InferenceService inference;

    private Services(InferenceService inference) {
        this.inference = inference;
    }

    /** Starts every service. */
    public static Services start(KafkaPlatform kafka, ServiceHost host) throws IOException {
        return start(kafka, host, EnumSet.allOf(Name.class));
    }

    /** Starts the chosen services against the platform's Kafka and registers their management routes. */
    public static Services start(KafkaPlatform kafka, ServiceHost host, Set<Name> which) throws IOException {
        var cfg = kafka.config();
        InferenceService inference = null;
        if (which.contains(Name.INFERENCE)) {
            InferenceService live = InferenceService.start(cfg, kafka.topics(), kafka.clients(), host.metrics(),
                    host.readiness(), InferenceService.Target.live(cfg, kafka.topics()));
            host.management().get("/models", ctx -> ctx.json(live.describeModels()));
            inference = live;
        }
        return new Services(inference);
    }

    public InferenceService inference() {
        return inference;
    }

    @Override
    public void close() {
        if (inference != null) {
            try {
                inference.close();
            } catch (RuntimeException e) {
                LOG.warn("inference close: {}", e.toString());
            }
        }
    }
}
