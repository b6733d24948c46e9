package io.xasstream.deploy.k8s;

import java.util.List;
import java.util.Map;

/** One rendered object: its raw tree and the names that identify it in messages. */
record K8sObject(Map<String, Object> tree) {
    String apiVersion() {
        return String.valueOf(tree.get("apiVersion"));
    }

    String kind() {
        return String.valueOf(tree.get("kind"));
    }

    String name() {
        return String.valueOf(metadata().get("name"));
    }

    String namespace() {
        return String.valueOf(metadata().get("namespace"));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> metadata() {
        return (Map<String, Object>) tree.getOrDefault("metadata", Map.of());
    }

    /** A value by path: map keys, or list indexes as numbers; null when absent. */
    Object at(Object... path) {
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
