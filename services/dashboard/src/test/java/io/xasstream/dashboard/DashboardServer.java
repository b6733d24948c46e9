package io.xasstream.dashboard;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.dashboard.http.FrontVerticle;
import io.xasstream.dashboard.http.Security;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** The dashboard alone on a broker, served as `run --services dashboard` serves it, for the tests. */
final class DashboardServer implements AutoCloseable {
    /** No inference runs in these tests: the lag probe asks for a group that has committed nothing. */
    private static final String NO_INFERENCE_GROUP = "dashboard-test-inference";

    final XasConfig config;
    final Topics topics;
    final DashboardService service;
    final Vertx vertx = Vertx.vertx();
    final FrontVerticle http;

    DashboardServer(XasConfig config) throws Exception {
        this.config = config;
        this.topics = new Topics(config);
        try (Admin admin = new KafkaClients(config).admin()) {
            TopicAdmin.ensure(admin, topics.all(), config);
        }
        this.service = DashboardService.start(config, topics, NO_INFERENCE_GROUP, null);
        this.http = new FrontVerticle(v -> {
            Router router = Router.router(v);
            Security.install(router, config.get(DashboardSettings.TOKEN), Clock.systemUTC());
            service.mount(router);
            return router;
        }, "127.0.0.1", 0);
        vertx.deployVerticle(http).await(30, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + http.actualPort() + path;
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(30, TimeUnit.SECONDS);
        service.close();
    }
}
