package io.xasstream.k8s.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.kafka.KafkaClients;
import io.xasstream.common.topics.TopicAdmin;
import io.xasstream.common.topics.Topics;
import io.xasstream.dashboard.feed.LagProbe;
import io.xasstream.dashboard.replay.ReplayReader;
import io.xasstream.k8s.RepoPaths;
import io.xasstream.k8s.cluster.ClusterStreams;
import io.xasstream.k8s.cluster.CommittedResults;
import io.xasstream.k8s.cluster.ServiceProcess;
import io.xasstream.k8s.manifests.Acls;
import io.xasstream.k8s.manifests.K8sObject;
import io.xasstream.k8s.manifests.Kustomize;
import io.xasstream.schema.operando.OperandoState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The services on a cluster secured as the manifests secure it: TLS + SCRAM-SHA-512, Kafka's StandardAuthorizer,
 * and exactly the ACLs of the KafkaUsers in k8s/ (read from the rendered manifests, not restated here). Inference
 * and monitor run as their own principals, configured only through kafka.client.* (the JAAS line from the
 * environment, as the pods get it from their KafkaUser's Secret), and what a principal may not do is denied.
 */
class ServicePrincipalsIT {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Path dir;
    private static SecureBroker broker;
    private static TestCertificates certs;
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    @BeforeAll
    static void secureCluster() throws Exception {
        dir = Files.createDirectories(Path.of("target", "security-it")).toAbsolutePath();
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        Files.createDirectories(dir);
        certs = TestCertificates.create(dir);
        PASSWORDS.put("admin", password());
        broker = new SecureBroker(dir, certs, PASSWORDS.get("admin"));

        List<AclBinding> acls = new ArrayList<>();
        for (K8sObject user : Kustomize.render(RepoPaths.repo("k8s/overlays/dev"))) {
            if (user.kind().equals("KafkaUser")) {
                PASSWORDS.put(user.name(), password());
                for (Map<String, Object> acl : Acls.of(user)) {
                    acls.addAll(bindings(user.name(), acl));
                }
            }
        }
        // two beamlines sharing the cluster, each with its own topic prefix (topics.prefix)
        for (String beamline : List.of("a", "b")) {
            PASSWORDS.put("beamline-" + beamline, password());
            for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "bl" + beamline + ".",
                        PatternType.PREFIXED), new AccessControlEntry("User:beamline-" + beamline, "*", op,
                        AclPermissionType.ALLOW)));
            }
        }
        try (Admin admin = new KafkaClients(config("admin")).admin()) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            PASSWORDS.forEach((user, password) -> {
                if (!user.equals("admin")) {
                    users.add(new UserScramCredentialUpsertion(user,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
                }
            });
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            XasConfig topicsConfig = config("admin");
            TopicAdmin.ensure(admin, new Topics(topicsConfig).all(), topicsConfig);
            for (String prefix : List.of("bla.", "blb.")) {
                XasConfig beamline = config("admin", "topics.prefix", prefix);
                TopicAdmin.ensure(admin, List.of(new Topics(beamline).spectra), beamline);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void servicesRunAsTheirPrincipalsAndEverySpectrumIsAnsweredAndFollowed() throws Exception {
        try (ServiceProcess inference = service("inference", "inference.transactional-id=xasstream-inference-0");
             ServiceProcess monitor = service("monitor", "monitor.state-dir=" + dir.resolve("monitor-state"));
             var results = CommittedResults.results(config("xasstream-dashboard"), "secure");
             var states = new CommittedResults<OperandoState>(config("xasstream-dashboard"),
                     new Topics(config("xasstream-dashboard")).operandoState,
                     s -> s.getLatest() == null ? null : s.getLatest().getSpectrumId(), "secure")) {
            List<String> ids = ClusterStreams.publish(config("xasstream-producer"), "secure", "cu-reduction", 2, 40);
            results.awaitAtLeast(ids.size(), Duration.ofMinutes(4), inference, monitor);
            results.settle(Duration.ofSeconds(2));
            assertThat(results.counts().keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(results.counts().values()).allMatch(n -> n == 1);
            // the monitor (Kafka Streams, its own principal and prefixed ACLs) followed both samples
            states.awaitAtLeast(2, Duration.ofMinutes(3), monitor);

            // no password in anything the services wrote
            for (ServiceProcess s : List.of(inference, monitor)) {
                String log = s.log();
                assertThat(log).contains("****");
                PASSWORDS.values().forEach(p -> assertThat(log).as(s + " log").doesNotContain(p));
            }
            ServiceProcess.terminate(inference, monitor);
        }
    }

    @Test
    void onlyTheOperatorMayPublishAModelAnnouncement() throws Exception {
        Topics topics = new Topics(config("admin"));
        assertThatThrownBy(() -> send(config("xasstream-inference"), topics.models.name()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(config("xasstream-monitor"), topics.models.name()))
                .hasRootCauseInstanceOf(TopicAuthorizationException.class);
        send(config("xasstream-operator"), topics.models.name());
    }

    @Test
    void theDashboardPrincipalOnlyReadsWhatTheDashboardReads() throws Exception {
        Topics topics = new Topics(config("admin"));
        // with no Write on any topic, the (idempotent) producer is refused already at the cluster
        assertThatThrownBy(() -> send(config("xasstream-dashboard"), topics.results.name()))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> send(config("xasstream-dashboard"), topics.models.name()))
                .hasRootCauseInstanceOf(AuthorizationException.class);
        // the dashboard's own lag probe, as its principal: inference's committed offsets (Describe on the group)
        // against the spectra topic's ends ...
        KafkaClients dashboard = new KafkaClients(config("xasstream-dashboard"));
        try (LagProbe probe = new LagProbe(dashboard::admin, "xasstream-inference").start()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (probe.latest() == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(probe.latest()).isNotNull();
            assertThat(probe.latest().error()).as("lag probe").isNull();
        }
        // ... and its replay overlay lists and reads the versioned results topics (xas.results.*)
        send(config("admin"), topics.resultsShadow.name());
        ReplayReader replay = new ReplayReader(dashboard, topics, 100);
        assertThat(replay.topics()).contains(topics.resultsShadow.name());
        assertThat(replay.read(topics.resultsShadow.name(), "secure", "s0")).isEqualTo("[]"); // fetched, not its key
        try (Admin admin = dashboard.admin()) {
            // ... but it may neither join nor move inference's group
            assertThatThrownBy(() -> admin.alterConsumerGroupOffsets("xasstream-inference",
                    Map.of(new TopicPartition(topics.spectra.name(), 0), new OffsetAndMetadata(0))).all()
                    .get(30, TimeUnit.SECONDS)).hasRootCauseInstanceOf(GroupAuthorizationException.class);
        }
        try (var consumer = new KafkaConsumer<>(new KafkaClients(config("xasstream-dashboard"))
                .consumer("it-acl", "xasstream-inference"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.results.name()));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
                    .isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void aBeamlineCannotReadAnotherBeamlinesSpectra() throws Exception {
        XasConfig a = config("beamline-a", "topics.prefix", "bla.");
        send(a, new Topics(a).spectra.name());
        assertThat(read(a, new Topics(a).spectra.name())).isPositive();
        String theirs = new Topics(config("beamline-a", "topics.prefix", "blb.")).spectra.name();
        assertThatThrownBy(() -> read(a, theirs)).isInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> send(a, theirs)).hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void theConfigCommandMasksTheCredentials() throws Exception {
        String jaas = SecureBroker.SCRAM_JAAS.formatted("xasstream-inference", PASSWORDS.get("xasstream-inference"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", RepoPaths.repo("services/app/target/xasstream.jar").toString(), "config",
                "--set", "kafka.client.ssl.truststore.location=" + certs.caPem);
        pb.environment().put("XASSTREAM_KAFKA_CLIENT_SASL_JAAS_CONFIG", jaas);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).contains("kafka.client.sasl.jaas.config").doesNotContain(PASSWORDS.get("xasstream-inference"));
    }

    private static ServiceProcess service(String name, String... settings) throws Exception {
        List<String> all = new ArrayList<>(clientSettings());
        all.add("topics.replication-factor=1");
        all.addAll(List.of(settings));
        String user = "xasstream-" + name;
        return ServiceProcess.run("secure-" + name, dir, broker.bootstrapServers(), name,
                Map.of("XASSTREAM_KAFKA_CLIENT_SASL_JAAS_CONFIG",
                        SecureBroker.SCRAM_JAAS.formatted(user, PASSWORDS.get(user))),
                all.toArray(String[]::new));
    }

    /** The client settings the ConfigMap gives every pod (k8s/base/10-configmap.yaml), the CA from the test. */
    private static List<String> clientSettings() {
        return List.of("kafka.client.security.protocol=SASL_SSL", "kafka.client.sasl.mechanism=SCRAM-SHA-512",
                "kafka.client.ssl.truststore.type=PEM", "kafka.client.ssl.truststore.location=" + certs.caPem);
    }

    private static XasConfig config(String user, String... more) {
        Map<String, String> settings = new HashMap<>();
        settings.put("bootstrap.servers", broker.bootstrapServers());
        settings.put("topics.partitions", "3");
        settings.put("models.manifest", RepoPaths.repo("models/manifest.json").toString());
        for (String s : clientSettings()) {
            settings.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        }
        settings.put("kafka.client.sasl.jaas.config", SecureBroker.SCRAM_JAAS.formatted(user, PASSWORDS.get(user)));
        for (int i = 0; i + 1 < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return XasConfig.load(null, Map.of(), settings);
    }

    private static void send(XasConfig config, String topic) throws Exception {
        Properties p = new KafkaClients(config).producer("it-acl");
        p.put("max.block.ms", "20000");
        p.put("delivery.timeout.ms", "20000");
        p.put("request.timeout.ms", "10000");
        p.put("linger.ms", "0");
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "k".getBytes(StandardCharsets.UTF_8),
                    "not a record".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
    }

    private static int read(XasConfig config, String topic) {
        try (var consumer = new KafkaConsumer<>(new KafkaClients(config).consumer("it-acl", null),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                    new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int n = 0;
            long deadline = System.currentTimeMillis() + 15_000;
            while (n == 0 && System.currentTimeMillis() < deadline) {
                n += consumer.poll(Duration.ofMillis(300)).count();
            }
            return n;
        }
    }

    private static List<AclBinding> bindings(String user, Map<String, Object> acl) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
        ResourceType type = switch (String.valueOf(resource.get("type"))) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException("resource type " + resource.get("type"));
        };
        PatternType pattern = "prefix".equals(resource.get("patternType")) ? PatternType.PREFIXED : PatternType.LITERAL;
        String name = type == ResourceType.CLUSTER ? "kafka-cluster" : String.valueOf(resource.get("name"));
        AclPermissionType permission = "deny".equals(acl.get("type")) ? AclPermissionType.DENY : AclPermissionType.ALLOW;
        List<AclBinding> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<String> operations = (List<String>) acl.get("operations");
        for (String op : operations) {
            AclOperation operation = AclOperation.fromString(op.replaceAll("([a-z])([A-Z])", "$1_$2"));
            assertThat(operation).as(op).isNotEqualTo(AclOperation.UNKNOWN);
            out.add(new AclBinding(new ResourcePattern(type, name, pattern),
                    new AccessControlEntry("User:" + user, "*", operation, permission)));
        }
        return out;
    }

    private static String password() {
        return "pw-" + Long.toHexString(RANDOM.nextLong()) + Long.toHexString(RANDOM.nextLong());
    }
}
