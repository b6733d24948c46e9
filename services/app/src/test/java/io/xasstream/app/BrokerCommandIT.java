package io.xasstream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `broker` runs a broker that other processes reach by its printed address, and keeps a --data-dir's topics. */
class BrokerCommandIT {

    @Test
    void theBrokerServesClientsAtThePrintedAddressAndKeepsItsTopicsInTheDataDirectory(@TempDir Path tmp)
            throws Exception {
        Path data = tmp.resolve("kafka");

        // Given a broker started by the command on a free port with a data directory
        String bootstrap = runWhile(List.of("broker", "--port", "0", "--data-dir", data.toString(), "--duration", "6"),
                address -> {
                    // When a client creates a topic there
                    try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
                        admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                        assertThat(topicsOnceListed(admin, "kept")).contains("kept");
                    }
                });
        assertThat(bootstrap).startsWith("127.0.0.1:");

        // Then a second broker on the same directory finds it again
        runWhile(List.of("broker", "--port", "0", "--data-dir", data.toString(), "--duration", "4"), address -> {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", address))) {
                assertThat(admin.describeTopics(List.of("kept")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("kept").partitions()).hasSize(2);
            }
        });
        assertThat(Files.isDirectory(data)).isTrue();
    }

    @Test
    void anInvalidPortIsRefusedWithAMessage() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertThat(cl.execute("broker", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString()).contains("--port must be between 0 and 65535");
    }

    /**
     * The topic names the broker lists, polled until {@code expected} is among them or 30 s have passed: the
     * controller acknowledges a new topic before the broker's metadata cache, which answers the listing, has it.
     */
    private static Set<String> topicsOnceListed(Admin admin, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        while (!names.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
        return names;
    }

    interface Client {
        void use(String bootstrap) throws Exception;
    }

    /** Runs the command, calls {@code client} with the address it prints, and checks that it stops cleanly. */
    private static String runWhile(List<String> args, Client client) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        CompletableFuture<Integer> code = CompletableFuture.supplyAsync(() -> cl.execute(args.toArray(String[]::new)));
        Pattern address = Pattern.compile("bootstrap servers : (\\S+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String bootstrap = null;
        while (bootstrap == null && !code.isDone() && System.nanoTime() < deadline) {
            Matcher m = address.matcher(out.toString());
            if (m.find()) {
                bootstrap = m.group(1);
            } else {
                Thread.sleep(50);
            }
        }
        assertThat(bootstrap).as("the address the broker printed, in: %s", out).isNotNull();
        try {
            client.use(bootstrap);
        } catch (Exception | AssertionError e) {
            // let the broker stop before JUnit deletes its data directory: a broker losing its log directory
            // halts the JVM, which would take the following tests of this fork with it
            try {
                code.get(90, TimeUnit.SECONDS);
            } catch (Exception stop) {
                e.addSuppressed(stop);   // the client's failure is the one to report
            }
            throw e;
        }
        assertThat(code.get(90, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("stopped");
        return bootstrap;
    }
}
