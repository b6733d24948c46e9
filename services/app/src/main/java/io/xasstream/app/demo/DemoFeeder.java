package io.xasstream.app.demo;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.xasstream.app.send.SpectrumPublisher;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.records.SpectrumRecords;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams a bundled operando series into the spectra topic at a fixed rate, as a beamline would; each pass of
 * the series is a new experiment. Deploy it as a worker verticle: publishing may block on Kafka metadata.
 */
public final class DemoFeeder extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);

    private final DemoSeries series;
    private final SpectrumPublisher publisher;
    private final double rate;
    private final boolean loop;
    private long timer = -1;
    private int next;
    private int pass = 1;
    private long published;

    public DemoFeeder(DemoSeries series, SpectrumPublisher publisher, double rate, boolean loop) {
        this.series = series;
        this.publisher = publisher;
        this.rate = rate;
        this.loop = loop;
    }

    @Override
    public Future<?> start() {
        long period = Math.max(1, Math.round(1000.0 / rate));
        timer = vertx.setPeriodic(0, period, id -> publishNext());
        LOG.info("demo: streaming series '{}' ({} spectra) at {} spectra/s", series.name(), series.spectra().size(),
                rate);
        return Future.succeededFuture();
    }

    private void publishNext() {
        if (next >= series.spectra().size()) {
            if (!loop) {
                vertx.cancelTimer(timer);
                LOG.info("demo: series finished after {} spectra", published);
                return;
            }
            next = 0;
            pass++;
        }
        SpectrumFile file = series.spectra().get(next++);
        // The sample id is a key component: keep it short and slash-free; the long name stays in metadata.
        String sample = series.name();
        var ctx = new SpectrumRecords.Context(UUID.randomUUID().toString(),
                file.header().getOrDefault("Facility.name", "demo"), file.header().getOrDefault("Beamline.name", "demo"),
                "demo-" + series.name() + "-" + pass, sample, "scan-" + next, null, null, Instant.now(),
                Map.of(), Map.of("demoSeries", series.name()));
        publisher.publish(SpectrumRecords.fromFile(file, ctx));
        published++;
    }

    public long published() {
        return published;
    }

    @Override
    public Future<?> stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        publisher.flush();
        return Future.succeededFuture();
    }
}
