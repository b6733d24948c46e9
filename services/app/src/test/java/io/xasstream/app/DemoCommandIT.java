package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo brings up broker, topics and services, streams the bundled series, serves /health and stops cleanly. */
class DemoCommandIT {

    @Test
    void demoStreamsTheBundledSeriesAndStopsCleanly(@TempDir Path tmp) throws Exception {
        DemoOutput run = new DemoOutput();
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> run.run("--duration", "45",
                "--set", "demo.rate=20"));

        String bootstrap = run.await(demo,
                Pattern.compile("Kafka bootstrap servers : (\\S+)"));
        String health = run.await(demo, Pattern.compile("health\\s+: (\\S+)"));
        String samples = run.await(demo,
                Pattern.compile("operando state \\(HTTP\\)\\s+: (\\S+)"));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(health)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).contains("\"status\":\"UP\"");

        // a second process-like client: tail reads the streamed spectra from the printed address
        StringWriter tailOut = new StringWriter();
        CommandLine tail = Main.commandLine();
        tail.setOut(new PrintWriter(tailOut, true));
        int tailCode = tail.execute("tail", "-b", bootstrap, "--topic", "spectra", "--json", "--max", "10",
                "--timeout", "10");
        assertThat(tailCode).isZero();
        String[] lines = tailOut.toString().strip().split("\n");
        assertThat(lines).hasSize(10);
        // a spectra partition is read in order: the first ten may all be one series
        assertThat(tailOut.toString()).containsPattern("\"experimentId\":\"demo-(cu|fe)-reduction-1\"")
                .contains("\"temperature\"").contains("\"channels\":{\"i0\"");

        // results of both series: Fe (pseudo-PDF, CN and oxidation state) and Cu (the 3d-metal models)
        StringWriter results = new StringWriter();
        CommandLine tailResults = Main.commandLine();
        tailResults.setOut(new PrintWriter(results, true));
        assertThat(tailResults.execute("tail", "-b", bootstrap, "--json", "--max", "200", "--timeout", "15"))
                .isZero();
        assertThat(results.toString()).contains("\"pdf\"").contains("\"coordinationNumber\"")
                .contains("\"oxidationState\"").contains("\"experimentId\":\"demo-fe-reduction-1\"")
                .contains("\"experimentId\":\"demo-cu-reduction-1\"").contains("\"oodByTask\":{\"");

        String metrics = http.send(HttpRequest.newBuilder(URI.create(health.replace("/health", "/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("xas_records_published_total").contains("jvm_memory_used_bytes")
                .contains("xas_inference_batch_size").contains("kafka_stream");
        String models = http.send(HttpRequest.newBuilder(URI.create(health.replace("/health", "/models"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(models).contains("fe-k-pdf").contains("sha256");
        HttpResponse<String> sampleList = http.send(HttpRequest.newBuilder(URI.create(samples)).build(),
                HttpResponse.BodyHandlers.ofString());
        long until = System.currentTimeMillis() + 20_000;
        while (!sampleList.body().contains("demo-fe-reduction-1") && System.currentTimeMillis() < until) {
            Thread.sleep(500);
            sampleList = http.send(HttpRequest.newBuilder(URI.create(samples)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(sampleList.body()).contains("demo-fe-reduction-1");

        assertThat(demo.get(120, TimeUnit.SECONDS)).isZero();
        assertThat(run.out.toString()).contains("stopped");
    }
}
