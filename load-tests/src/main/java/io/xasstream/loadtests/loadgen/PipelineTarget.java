package io.xasstream.loadtests.loadgen;

import io.xasstream.inference.InferenceSettings;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.management.Readiness;
import io.xasstream.common.metrics.XasMetrics;
import io.xasstream.common.topics.Topics;
import io.xasstream.inference.service.InferenceService;
import io.xasstream.loadtests.Offsets;
import org.apache.kafka.clients.admin.Admin;

/**
 * xasstream's inference service in this JVM (or, {@link #external}, one already running elsewhere, e.g.
 * {@code ./xasstream run}): started with its group at the end of the spectra topic, so that spectra sent while it
 * was stopped are not a backlog in its run, and ready once it holds its partitions.
 */
public final class PipelineTarget implements Target {
    private final KafkaClients clients;
    private final Topics topics;
    private final InferenceService service;

    private PipelineTarget(KafkaClients clients, Topics topics, InferenceService service) {
        this.clients = clients;
        this.topics = topics;
        this.service = service;
    }

    public static PipelineTarget start(XasConfig cfg, Topics topics, KafkaClients clients, XasMetrics metrics)
            throws Exception {
        try (Admin admin = clients.admin()) {
            Offsets.startGroupAt(admin, cfg.get(InferenceSettings.GROUP_ID),
                    Offsets.ends(admin, topics.spectra.name()));
        }
        InferenceService service = InferenceService.start(cfg, topics, clients, metrics, new Readiness(),
                InferenceService.Target.live(cfg, topics));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (service.loop().assignment().isEmpty()) {
            if (System.nanoTime() > deadline || !service.loop().isRunning()) {
                service.close();
                throw new IllegalStateException("the inference service got no partitions of " + topics.spectra);
            }
            Thread.sleep(20);
        }
        return new PipelineTarget(clients, topics, service);
    }

    /** A service that runs elsewhere (its own process): only its answers are read. */
    public static PipelineTarget external(KafkaClients clients, Topics topics) {
        return new PipelineTarget(clients, topics, null);
    }

    @Override
    public String name() {
        return "xasstream";
    }

    @Override
    public LoadRun.Source answers() {
        return new PipelineAnswers(clients, topics);
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}
