package io.xasstream.app.cli.ingest;

import io.xasstream.app.platform.KafkaPlatform;
import io.xasstream.app.platform.ServiceHost;
import io.xasstream.app.platform.ShutdownSignal;
import io.xasstream.common.config.XasConfig;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestMetrics;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.ingest.profile.ProfileLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What every ingest command runs in: the stop signal, the cluster, the management server (/metrics, /health) and
 * the adapter's meters. Closed in reverse order.
 */
final class IngestRuntime implements AutoCloseable {
    final ShutdownSignal signal;
    final KafkaPlatform kafka;
    final ServiceHost host;
    final IngestMetrics metrics;
    final Profile profile;

    IngestRuntime(XasConfig config, String source, Path profileFile) {
        this.profile = ProfileLoader.load(profileFile);
        this.signal = new ShutdownSignal();
        KafkaPlatform k = null;
        ServiceHost h = null;
        try {
            k = KafkaPlatform.connect(config);
            h = ServiceHost.start(k.config(), "ingest-" + source);
        } catch (RuntimeException e) {
            if (k != null) {
                k.close();
            }
            signal.close();
            throw e;
        }
        this.kafka = k;
        this.host = h;
        this.metrics = new IngestMetrics(host.metrics().meters(), source);
    }

    XasConfig config() {
        return kafka.config();
    }

    void banner(PrintWriter out, String what) {
        out.println(what);
        out.println("  profile     : " + profile.name());
        out.println("  metrics     : " + host.managementUrl(config()) + "/metrics");
        out.flush();
    }

    /** The adapter's counts in one line. */
    String summary() {
        return String.format(Locale.ROOT, "%.0f spectra published, %.0f runs emitted, %.0f rejected, "
                        + "%.0f dead letters", metrics.count("xas.ingest.spectra", ""),
                metrics.count("xas.ingest.runs", "emitted") + metrics.count("xas.ingest.runs", "published"),
                metrics.count("xas.ingest.runs", "rejected"), deadLetters());
    }

    private double deadLetters() {
        double n = 0;
        for (ReasonCode r : ReasonCode.values()) {
            n += metrics.count("xas.ingest.dead_letters", r.name());
        }
        return n;
    }

    @Override
    public void close() {
        try {
            host.close();
        } finally {
            try {
                kafka.close();
            } finally {
                signal.close();
            }
        }
    }
}
