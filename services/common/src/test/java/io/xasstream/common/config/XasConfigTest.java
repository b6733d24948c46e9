package io.xasstream.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XasConfigTest {

    @Test
    void defaultsMeanTheEmbeddedBrokerAndSingleObjectFraming() {
        XasConfig c = XasConfig.defaults();
        assertThat(c.embedded()).isTrue();
        assertThat(c.get(XasConfig.SERDE_FORMAT)).isEqualTo(SerdeFormat.SINGLE_OBJECT);
        assertThat(c.get(XasConfig.TOPIC_PARTITIONS)).isEqualTo(3);
    }

    @Test
    void fileThenEnvironmentThenOverridesLastOneWins(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.yaml");
        Files.writeString(file, "topics:\n  partitions: 6\n  replication-factor: 3\nmanagement.port: 9000\n");
        XasConfig c = XasConfig.load(file, Map.of("XASSTREAM_TOPICS_PARTITIONS", "12"),
                Map.of("management.port", "9100"));
        assertThat(c.get(XasConfig.TOPIC_REPLICATION)).isEqualTo(3);
        assertThat(c.get(XasConfig.TOPIC_PARTITIONS)).isEqualTo(12);
        assertThat(c.origin(XasConfig.TOPIC_PARTITIONS)).isEqualTo("environment");
        assertThat(c.get(XasConfig.MANAGEMENT_PORT)).isEqualTo(9100);
    }

    @Test
    void propertiesFilesWorkToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.properties");
        Files.writeString(file, "bootstrap.servers=kafka:9092\nserde.format=confluent\nschema.registry.url=http://r\n");
        XasConfig c = XasConfig.load(file, Map.of(), Map.of());
        assertThat(c.embedded()).isFalse();
        assertThat(c.get(XasConfig.SERDE_FORMAT)).isEqualTo(SerdeFormat.CONFLUENT);
    }

    @Test
    void anInvalidValueNamesTheSettingAndTheRule() {
        assertThatThrownBy(() -> XasConfig.load(null, Map.of(), Map.of("topics.partitions", "0")))
                .isInstanceOf(ConfigException.class).hasMessage("topics.partitions: 0 is not between 1 and 10000");
        assertThatThrownBy(() -> XasConfig.load(null, Map.of(), Map.of("management.port", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("management.port: cannot read 'eighty'");
    }

    @Test
    void anUnknownSettingIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> XasConfig.load(null, Map.of(), Map.of("topic.partitions", "3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown setting 'topic.partitions'");
    }

    @Test
    void confluentFramingNeedsARegistry() {
        assertThatThrownBy(() -> XasConfig.load(null, Map.of(), Map.of("serde.format", "confluent")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
    }

    @Test
    void secretsAreMaskedInToStringButKafkaClientSettingsArePassedThrough() {
        XasConfig c = XasConfig.load(null, Map.of("XASSTREAM_KAFKA_CLIENT_SASL_JAAS_CONFIG", "user=alice pw=s3cr3t"),
                Map.of("schema.registry.basic-auth", "bob:hunter2", "kafka.client.security.protocol", "SASL_SSL"));
        assertThat(c.kafkaClientProperties()).containsEntry("sasl.jaas.config", "user=alice pw=s3cr3t")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(c.toString()).doesNotContain("s3cr3t").doesNotContain("hunter2").contains("security.protocol=SASL_SSL");
        assertThat(c.get(XasConfig.REGISTRY_AUTH)).isEqualTo("bob:hunter2");
    }
}
