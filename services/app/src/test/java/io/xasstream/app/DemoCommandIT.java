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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo brings up broker, topics and services, streams the bundled series, serves /health and stops cleanly. */
class DemoCommandIT {

    @Test
    void demoStreamsTheBundledSeriesAndStopsCleanly(@TempDir Path tmp) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> demo = CompletableFuture.supplyAsync(() -> cl.execute("demo", "--duration", "12",
                "--set", "demo.rate=20", "--set", "management.port=0"));

        String bootstrap = await(out, Pattern.compile("Kafka bootstrap servers : (\\S+)"));
        String health = await(out, Pattern.compile("health\\s+: (\\S+)"));
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
        assertThat(lines[0]).contains("\"element\":\"Cu\"").contains("\"experimentId\":\"demo-cu-reduction-1\"")
                .contains("\"temperature\"");

        String metrics = http.send(HttpRequest.newBuilder(URI.create(health.replace("/health", "/metrics"))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("xas_records_published_total").contains("jvm_memory_used_bytes");

        assertThat(demo.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("stopped");
    }

    private static String await(StringWriter out, Pattern p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Matcher m = p.matcher(out.toString());
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("demo did not print " + p + "; output so far:\n" + out);
    }
}
