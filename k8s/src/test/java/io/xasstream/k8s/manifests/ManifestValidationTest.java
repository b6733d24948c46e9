package io.xasstream.k8s.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.xasstream.common.config.XasConfig;
import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.k8s.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every overlay of k8s/ as kubectl renders it: each object valid for its kind with unknown fields rejected (core
 * kinds by fabric8's model, Strimzi/KEDA/Prometheus Operator kinds by their CRD schemas), and consistent with the
 * code (the topic registry, the settings, the image Maven builds) and with the deployment rules of the project.
 */
class ManifestValidationTest {
    static final List<String> OVERLAYS = List.of("dev", "production", "production-cpu");

    private static final Map<String, List<K8sObject>> RENDERED = new LinkedHashMap<>();
    private static CrdSchemas crds;

    @BeforeAll
    static void render() throws Exception {
        // kubectl comes with this project's machines (and so CI's), not from Debian; elsewhere say what is missing
        assumeTrue(Kustomize.available() || "true".equals(System.getenv("CI")),
                "kubectl (1.27+, with kustomize) is not on the PATH: k8s/ not validated");
        crds = new CrdSchemas();
        for (String overlay : OVERLAYS) {
            RENDERED.put(overlay, Kustomize.render(RepoPaths.repo("k8s/overlays/" + overlay)));
        }
    }

    static List<String> violations(List<K8sObject> objects, CrdSchemas schemas) {
        List<String> out = new ArrayList<>();
        for (K8sObject o : objects) {
            if (CoreSchemas.covers(o)) {
                out.addAll(CoreSchemas.violations(o));
            } else if (schemas.covers(o)) {
                out.addAll(schemas.violations(o));
            } else {
                out.add(o + ": no schema for " + o.apiVersion() + " " + o.kind());
            }
        }
        return out;
    }

    @Test
    void everyObjectOfEveryOverlayMatchesItsSchemaWithUnknownFieldsRejected() {
        RENDERED.forEach((overlay, objects) -> {
            assertThat(objects).as(overlay).hasSizeGreaterThan(20);
            assertThat(violations(objects, crds)).as(overlay).isEmpty();
        });
        assertThat(kinds("production")).contains("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "StatefulSet",
                "Deployment", "PodDisruptionBudget", "NetworkPolicy", "ScaledObject", "ServiceMonitor",
                "PrometheusRule");
    }

    @Test
    void aTypoPlantedInAManifestFailsTheValidation(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("k8s");
        for (String part : List.of("base", "components", "overlays")) { // the manifests, not the module's build
            copyTree(RepoPaths.repo("k8s/" + part), copy.resolve(part));
        }
        Path inference = copy.resolve("base/30-inference.yaml");
        Files.writeString(inference, Files.readString(inference).replace("readinessProbe:", "readinesProbe:"));
        Path topics = copy.resolve("base/21-topics.yaml");
        Files.writeString(topics, Files.readString(topics).replaceFirst("partitions: 12", "partiton: 12"));

        List<String> found = violations(Kustomize.render(copy.resolve("overlays/production")), crds);

        assertThat(found).anyMatch(v -> v.startsWith("StatefulSet/xasstream-inference") && v.contains("readinesProbe"));
        assertThat(found).anyMatch(v -> v.startsWith("KafkaTopic/xas-spectra") && v.contains("partiton"));
    }

    @Test
    void aTypoInAnyCustomResourceKindIsCaught() {
        Map<String, Object[]> plants = new TreeMap<>(Map.of(
                "Kafka", new Object[]{"spec", "kafka", "listenrs"},
                "KafkaNodePool", new Object[]{"spec", "replica"},
                "KafkaUser", new Object[]{"spec", "authorization", "acl"},
                "ScaledObject", new Object[]{"spec", "maxReplicas"},
                "ServiceMonitor", new Object[]{"spec", "endpoints", 0, "intervall"},
                "PrometheusRule", new Object[]{"spec", "groups", 0, "rules", 0, "expresion"}));
        plants.forEach((kind, path) -> {
            K8sObject planted = copyOf(one("production", kind));
            put(planted, path, "x");
            assertThat(crds.violations(planted)).as(kind).anyMatch(v -> v.contains(String.valueOf(path[path.length - 1])));
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void strimziResourcesAreV1AndLiveInTheKafkaClustersNamespace() {
        RENDERED.forEach((overlay, objects) -> {
            K8sObject kafka = only(objects, "Kafka");
            for (K8sObject o : objects) {
                if (o.apiVersion().startsWith("kafka.strimzi.io/")) {
                    assertThat(o.apiVersion()).as(overlay + " " + o).isEqualTo("kafka.strimzi.io/v1");
                    assertThat(o.namespace()).as(overlay + " " + o).isEqualTo(kafka.namespace());
                    if (!o.kind().equals("Kafka")) {
                        assertThat(o.at("metadata", "labels", "strimzi.io/cluster")).as(o.toString())
                                .isEqualTo(kafka.name());
                    }
                }
            }
            assertThat(kafka.at("spec", "kafka", "authorization", "type")).isEqualTo("simple");
            assertThat(kafka.at("spec", "kafka", "listeners", 0, "tls")).isEqualTo(true);
        });
        assertThat(only(RENDERED.get("production"), "KafkaNodePool").at("spec", "replicas")).isEqualTo(3);
        assertThat((List<Object>) only(RENDERED.get("production"), "KafkaNodePool").at("spec", "roles"))
                .containsExactlyInAnyOrder("controller", "broker");
    }

    @Test
    void kafkaTopicsAreTheRegistrysTopicsWithItsSettings() throws Exception {
        for (String overlay : OVERLAYS) {
            XasConfig config = EffectiveConfig.of(RENDERED.get(overlay), null);
            Topics registry = new Topics(config);
            Map<String, K8sObject> declared = new TreeMap<>();
            objects(overlay, "KafkaTopic").forEach(t -> declared.put(String.valueOf(t.at("spec", "topicName")), t));
            assertThat(declared.keySet()).as(overlay).containsExactlyInAnyOrderElementsOf(
                    registry.all().stream().map(Topic::name).toList());
            for (Topic<?, ?> topic : registry.all()) {
                K8sObject t = declared.get(topic.name());
                assertThat(t.at("spec", "partitions")).as(overlay + " " + t)
                        .isEqualTo(config.get(XasConfig.TOPIC_PARTITIONS));
                assertThat(t.at("spec", "replicas")).as(overlay + " " + t)
                        .isEqualTo(config.get(XasConfig.TOPIC_REPLICATION));
                @SuppressWarnings("unchecked")
                Map<String, Object> cfg = (Map<String, Object>) t.at("spec", "config");
                topic.topicConfig().forEach((k, v) ->
                        assertThat(String.valueOf(cfg.get(k))).as(overlay + " " + t + " " + k).isEqualTo(v));
                int minIsr = (Integer) cfg.get("min.insync.replicas");
                int replicas = (Integer) t.at("spec", "replicas");
                assertThat(minIsr).as("min ISR leaves room to lose a replica").isEqualTo(Math.max(1, replicas - 1));
            }
        }
    }

    @Test
    void eachServiceHasItsOwnPrincipalAndOnlyTheOperatorMayWriteTheModelsTopic() {
        for (String overlay : OVERLAYS) {
            Map<String, String> userOfWorkload = new HashMap<>();
            for (K8sObject w : workloads(overlay)) {
                Object secret = PodSpecs.envFrom(w, 0, "XASSTREAM_KAFKA_CLIENT_SASL_JAAS_CONFIG");
                assertThat(secret).as(overlay + " " + w + " SCRAM credentials").isNotNull();
                userOfWorkload.put(w.name(), String.valueOf(secret));
            }
            assertThat(Set.copyOf(userOfWorkload.values())).as("one principal per service")
                    .hasSize(userOfWorkload.size());
            Set<String> users = objects(overlay, "KafkaUser").stream().map(K8sObject::name).collect(Collectors.toSet());
            assertThat(users).containsAll(userOfWorkload.values());
            for (K8sObject user : objects(overlay, "KafkaUser")) {
                for (Map<String, Object> acl : Acls.of(user)) {
                    if (Acls.grantsWrite(acl, "topic", "xas.models")) {
                        assertThat(user.name()).as(overlay + " writes xas.models").isEqualTo("xasstream-operator");
                    }
                }
            }
            // the inference pods' names (its transactional ids) fall under its transactional-id ACL
            K8sObject inference = workloads(overlay).stream().filter(w -> w.kind().equals("StatefulSet")).findFirst()
                    .orElseThrow();
            assertThat(PodSpecs.envValue(inference, 0, "XASSTREAM_INFERENCE_TRANSACTIONAL_ID")).isEqualTo("$(POD_NAME)");
            K8sObject inferenceUser = objects(overlay, "KafkaUser").stream()
                    .filter(u -> u.name().equals(userOfWorkload.get(inference.name()))).findFirst().orElseThrow();
            assertThat(Acls.of(inferenceUser)).anyMatch(a -> Acls.matches(a, "transactionalId", inference.name() + "-0"));
        }
    }

    @Test
    void everyContainerIsNonRootReadOnlyWithATmpDirProbesOnNamedPortsAndResources() {
        for (String overlay : OVERLAYS) {
            for (K8sObject w : workloads(overlay)) {
                assertThat(PodSpecs.problems(w)).as(overlay).isEmpty();
            }
        }
    }

    @Test
    void everyContainersEffectiveConfigurationLoads() throws Exception {
        for (String overlay : OVERLAYS) {
            for (K8sObject w : workloads(overlay)) {
                XasConfig config = EffectiveConfig.of(RENDERED.get(overlay), w);
                assertThat(config.get(XasConfig.TOPIC_CREATE)).as(w + " leaves topics to the operator").isFalse();
                assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL");
            }
        }
    }

    @Test
    void theGpuImageAndGpusAreForInferenceOnlyWithNodeSelectorAndToleration() {
        for (K8sObject w : workloads("production")) {
            String image = PodSpecs.image(w, 0);
            boolean gpu = image.contains("xasstream-gpu");
            assertThat(gpu).as(w + " " + image).isEqualTo(w.name().equals("xasstream-inference"));
            assertThat(w.at("spec", "template", "spec", "containers", 0, "resources", "limits", "nvidia.com/gpu"))
                    .as(w.toString()).isEqualTo(gpu ? 1 : null);
            if (gpu) {
                assertThat(w.at("spec", "template", "spec", "nodeSelector")).isNotNull();
                assertThat(w.at("spec", "template", "spec", "tolerations", 0, "key")).isEqualTo("nvidia.com/gpu");
            }
        }
        for (K8sObject w : workloads("production-cpu")) {
            assertThat(PodSpecs.image(w, 0)).doesNotContain("gpu");
        }
    }

    @Test
    void theAutoscalerNeverAddsAPodWithoutAPartition() throws Exception {
        for (String overlay : List.of("production", "production-cpu")) {
            K8sObject scaled = only(RENDERED.get(overlay), "ScaledObject");
            int partitions = EffectiveConfig.of(RENDERED.get(overlay), null).get(XasConfig.TOPIC_PARTITIONS);
            assertThat(scaled.at("spec", "maxReplicaCount")).isEqualTo(partitions);
            assertThat(scaled.at("spec", "scaleTargetRef", "kind")).isEqualTo("StatefulSet");
            assertThat(scaled.at("spec", "scaleTargetRef", "name")).isEqualTo("xasstream-inference");
        }
    }

    @Test
    void theDevOverlayRunsTheImageThatMavenBuilds() {
        String version = System.getProperty("xasstream.version", "0.1.0-SNAPSHOT");
        for (K8sObject w : workloads("dev")) {
            assertThat(PodSpecs.image(w, 0)).isEqualTo("xasstream:" + version);
        }
    }

    private static List<String> kinds(String overlay) {
        return RENDERED.get(overlay).stream().map(K8sObject::kind).distinct().toList();
    }

    static List<K8sObject> objects(String overlay, String kind) {
        return RENDERED.get(overlay).stream().filter(o -> o.kind().equals(kind)).toList();
    }

    static List<K8sObject> workloads(String overlay) {
        return RENDERED.get(overlay).stream()
                .filter(o -> o.kind().equals("Deployment") || o.kind().equals("StatefulSet")).toList();
    }

    private static K8sObject one(String overlay, String kind) {
        return objects(overlay, kind).get(0);
    }

    private static K8sObject only(List<K8sObject> objects, String kind) {
        List<K8sObject> found = objects.stream().filter(o -> o.kind().equals(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static K8sObject copyOf(K8sObject o) {
        return new K8sObject((Map<String, Object>) deepCopy(o.tree()));
    }

    private static Object deepCopy(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), deepCopy(v)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(e -> out.add(deepCopy(e)));
            return out;
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static void put(K8sObject o, Object[] path, Object value) {
        Object node = o.tree();
        for (int i = 0; i < path.length - 1; i++) {
            node = node instanceof Map<?, ?> m ? m.get(path[i]) : ((List<?>) node).get((Integer) path[i]);
        }
        ((Map<String, Object>) node).put(String.valueOf(path[path.length - 1]), value);
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
