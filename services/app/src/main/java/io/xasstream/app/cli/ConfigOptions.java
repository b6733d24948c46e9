package io.xasstream.app.cli;

import io.xasstream.common.config.XasConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options every command shares: a config file, --set overrides and the cluster address. */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (YAML or .properties); see './xasstream config' for the settings.")
    Path file;

    @Option(names = "--set", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Override one setting (repeatable), e.g. --set topics.partitions=6.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT",
            description = "Kafka cluster (same as --set bootstrap.servers=...).")
    String bootstrapServers;

    /** Defaults, then the file, then XASSTREAM_* environment variables, then --set / --bootstrap-servers. */
    public XasConfig load() {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        if (bootstrapServers != null) {
            all.put(XasConfig.BOOTSTRAP_SERVERS.name(), bootstrapServers);
        }
        return XasConfig.load(file, System.getenv(), all);
    }
}
