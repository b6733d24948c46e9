package io.xasstream.k8s.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import io.xasstream.kafka.embedded.KraftStorage;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A one-node KRaft broker as Strimzi's listener in k8s/base/20-kafka.yaml is set up: TLS with SCRAM-SHA-512
 * (SASL_SSL) for clients and between brokers, Kafka's StandardAuthorizer, no access without an ACL. Only the
 * superuser {@code admin} (created at format time) manages users and ACLs. The KRaft controller listener is
 * plain loopback, as inside a Strimzi pod, and its (anonymous) principal must be a superuser for the node to talk to
 * itself; clients are only given the SASL_SSL address.
 */
final class SecureBroker implements AutoCloseable {
    static final String SCRAM_JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"%s\" password=\"%s\";";

    private final KafkaRaftServer server;
    private final String bootstrap;

    SecureBroker(Path dir, TestCertificates certs, String adminPassword) throws Exception {
        int port = KraftStorage.freePort();
        int controller = KraftStorage.freePort();
        Path logs = Files.createDirectories(dir.resolve("kraft"));
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", SCRAM_JAAS.formatted("admin", adminPassword));
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.location", certs.brokerKeyStore.toString());
        p.put("ssl.keystore.password", certs.keyStorePassword);
        p.put("ssl.key.password", certs.keyStorePassword);
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", certs.caPem.toString());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:admin;User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("log.dirs", logs.toString());
        p.putAll(KraftStorage.replication(1, 1));
        p.put("offsets.topic.num.partitions", "3");
        p.put("transaction.state.log.num.partitions", "3");
        p.putAll(KraftStorage.smallMachine());
        KraftStorage.format(logs, 1, Uuid.randomUuid().toString(),
                List.of("SCRAM-SHA-512=[name=admin,password=" + adminPassword + "]"));
        this.server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        this.bootstrap = "127.0.0.1:" + port;
    }

    String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
