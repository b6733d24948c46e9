package io.xasstream.k8s.manifests;

import java.util.List;
import java.util.Map;

/** One rendered object: its raw tree and the names that identify it in messages. */
public record K8sObject(Map<String, Object> tree) {
    public String apiVersion() {
        return String.valueOf(tree.get("apiVersion"));
    }

    public String kind() {
        return String.valueOf(tree.get("kind"));
    }

    public String name() {
        return String.valueOf(metadata().get("name"));
    }

    public String namespace() {
        return String.valueOf(metadata().get("namespace"));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> metadata() {
        return (Map<String, Object>) tree.getOrDefault("metadata", Map.of());
    }

    /** A value by path: map keys, or list indexes as numbers; null when absent. */
    public Object at(Object... path) {
        Object node = tree;
        for (Object step : path) {
            if (node instanceof Map<?, ?> m) {
                node = m.get(step);
            } else if (node instanceof List<?> l && step instanceof Integer i) {
                node = i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
        }
        return node;
    }

    @Override
    public String toString() {
        return kind() + "/" + name();
    }
}
