package io.xasstream.k8s.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.XasConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration a container would run with: the ConfigMap's xasstream.yaml loaded by XasConfig itself (an
 * unknown or invalid setting fails here as it would in the pod), then the container's XASSTREAM_* environment.
 */
final class EffectiveConfig {
    private EffectiveConfig() {
    }

    /** @param workload null for the ConfigMap alone */
    @SuppressWarnings("unchecked")
    static XasConfig of(List<K8sObject> objects, K8sObject workload) throws IOException {
        K8sObject cm = objects.stream().filter(o -> o.kind().equals("ConfigMap") && o.name().equals("xasstream-config"))
                .findFirst().orElseThrow();
        Path file = Files.createTempFile("xasstream-", ".yaml");
        try {
            Files.writeString(file, String.valueOf(cm.at("data", "xasstream.yaml")));
            Map<String, String> env = new LinkedHashMap<>();
            if (workload != null) {
                Set<String> declared = XasConfig.settings().stream().map(Setting::envName).collect(Collectors.toSet());
                for (Map<String, Object> e : (List<Map<String, Object>>) PodSpecs.containers(workload).get(0)
                        .getOrDefault("env", List.of())) {
                    String name = String.valueOf(e.get("name"));
                    if (!name.startsWith("XASSTREAM_")) {
                        continue;
                    }
                    boolean known = declared.contains(name) || name.startsWith("XASSTREAM_KAFKA_CLIENT_");
                    assertThat(known).as(workload + ": " + name + " is no setting").isTrue();
                    env.put(name, e.containsKey("value") ? String.valueOf(e.get("value")) : "from-a-secret");
                }
            }
            return XasConfig.load(file, env, Map.of());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
