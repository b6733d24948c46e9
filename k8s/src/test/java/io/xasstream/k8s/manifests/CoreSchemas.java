package io.xasstream.k8s.manifests;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes' own kinds checked with fabric8's model (the classes Strimzi builds on): the object must bind to its
 * class, and no field may be left over, at any depth, in the model's catch-all {@code additionalProperties} (the
 * API server's strict field validation would reject it; a lenient one would drop it silently).
 */
final class CoreSchemas {
    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private CoreSchemas() {
    }

    static boolean covers(K8sObject o) {
        return KINDS.containsKey(o.apiVersion() + "/" + o.kind());
    }

    /** Violations of {@code o}: empty when it is a valid object of its kind. */
    static List<String> violations(K8sObject o) {
        Class<?> type = KINDS.get(o.apiVersion() + "/" + o.kind());
        List<String> out = new ArrayList<>();
        Object model;
        try {
            model = MAPPER.convertValue(o.tree(), type);
        } catch (IllegalArgumentException e) {
            out.add(o + ": does not bind to " + type.getSimpleName() + ": " + e.getMessage());
            return out;
        }
        leftovers(model, o.toString(), out, new IdentityHashMap<>());
        return out;
    }

    private static void leftovers(Object node, String path, List<String> out, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                leftovers(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> leftovers(v, path + "." + k, out, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    Set<?> keys = extra.keySet();
                    out.add(path + ": unknown field(s) " + keys);
                }
                continue;
            }
            String field = Character.toLowerCase(getter.getName().charAt(3)) + getter.getName().substring(4);
            leftovers(value, path + "." + field, out, seen);
        }
    }
}
