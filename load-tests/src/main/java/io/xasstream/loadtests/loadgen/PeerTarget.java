package io.xasstream.loadtests.loadgen;

import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.Topics;
import io.xasstream.loadtests.BenchTopics;
import io.xasstream.loadtests.Offsets;
import io.xasstream.loadtests.peer.PeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;

/** The Python peer as a child process, its group started at the end of the spectra topic. */
public final class PeerTarget implements Target {
    private static final String GROUP = "xas-bench-peer";

    private final KafkaClients clients;
    private final BenchTopics bench;
    private final PeerProcess peer;

    private PeerTarget(KafkaClients clients, BenchTopics bench, PeerProcess peer) {
        this.clients = clients;
        this.bench = bench;
        this.peer = peer;
    }

    /**
     * @param extra more peer.py options (e.g. --threads 1)
     */
    public static PeerTarget start(Path repo, KafkaClients clients, Topics topics, BenchTopics bench,
                                   List<String> extra) throws Exception {
        try (Admin admin = clients.admin()) {
            Offsets.startGroupAt(admin, GROUP, Offsets.ends(admin, topics.spectra.name()));
        }
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", clients.bootstrapServers(), "--group",
                GROUP, "--input", topics.spectra.name(), "--output", bench.peerResults.name()));
        args.addAll(extra);
        Path log = Files.createTempFile("xas-peer-", ".log");
        return new PeerTarget(clients, bench, PeerProcess.start(repo, args, log));
    }

    @Override
    public String name() {
        return "python peer";
    }

    @Override
    public LoadRun.Source answers() {
        return new PeerAnswers(clients, bench.peerResults.name());
    }

    public PeerProcess process() {
        return peer;
    }

    @Override
    public void close() throws InterruptedException {
        peer.close();
    }
}
