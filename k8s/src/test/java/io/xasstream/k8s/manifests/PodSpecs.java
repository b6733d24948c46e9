package io.xasstream.k8s.manifests;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the project requires of every pod it deploys (house rules: securityContext, probes, resources). */
final class PodSpecs {
    private PodSpecs() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(K8sObject w) {
        return (List<Map<String, Object>>) w.at("spec", "template", "spec", "containers");
    }

    static String image(K8sObject w, int container) {
        return String.valueOf(containers(w).get(container).get("image"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> env(K8sObject w, int container, String name) {
        for (Map<String, Object> e : (List<Map<String, Object>>) containers(w).get(container)
                .getOrDefault("env", List.of())) {
            if (name.equals(e.get("name"))) {
                return e;
            }
        }
        return null;
    }

    static Object envValue(K8sObject w, int container, String name) {
        Map<String, Object> e = env(w, container, name);
        return e == null ? null : e.get("value");
    }

    /** The Secret an environment variable is read from, or null. */
    static Object envFrom(K8sObject w, int container, String name) {
        Map<String, Object> e = env(w, container, name);
        return e == null ? null : new K8sObject(e).at("valueFrom", "secretKeyRef", "name");
    }

    /** Problems of a Deployment or StatefulSet; empty when it follows every rule. */
    @SuppressWarnings("unchecked")
    static List<String> problems(K8sObject w) {
        List<String> out = new ArrayList<>();
        Map<String, Object> pod = (Map<String, Object>) w.at("spec", "template", "spec");
        K8sObject podSpec = new K8sObject(pod);
        if (!Boolean.TRUE.equals(podSpec.at("securityContext", "runAsNonRoot"))) {
            out.add(w + ": pod securityContext.runAsNonRoot is not true");
        }
        Object uid = podSpec.at("securityContext", "runAsUser");
        if (!(uid instanceof Integer i) || i == 0) {
            out.add(w + ": pod securityContext.runAsUser is not a non-zero number");
        }
        Set<String> emptyDirs = new HashSet<>();
        for (Map<String, Object> v : (List<Map<String, Object>>) pod.getOrDefault("volumes", List.of())) {
            if (v.containsKey("emptyDir")) {
                emptyDirs.add(String.valueOf(v.get("name")));
            }
        }
        for (Map<String, Object> c : containers(w)) {
            K8sObject container = new K8sObject(c);
            String name = w + "/" + c.get("name");
            if (!Boolean.TRUE.equals(container.at("securityContext", "readOnlyRootFilesystem"))) {
                out.add(name + ": readOnlyRootFilesystem is not true");
            }
            if (!Boolean.FALSE.equals(container.at("securityContext", "allowPrivilegeEscalation"))) {
                out.add(name + ": allowPrivilegeEscalation is not false");
            }
            boolean tmp = ((List<Map<String, Object>>) c.getOrDefault("volumeMounts", List.of())).stream()
                    .anyMatch(m -> "/tmp".equals(m.get("mountPath")) && emptyDirs.contains(m.get("name")));
            if (!tmp) {
                out.add(name + ": no emptyDir mounted at /tmp (ONNX Runtime and RocksDB unpack native libraries there)");
            }
            Set<String> ports = new HashSet<>();
            for (Map<String, Object> p : (List<Map<String, Object>>) c.getOrDefault("ports", List.of())) {
                if (p.get("name") == null) {
                    out.add(name + ": unnamed port " + p.get("containerPort"));
                }
                ports.add(String.valueOf(p.get("name")));
            }
            for (String probe : List.of("readinessProbe", "livenessProbe")) {
                Object port = container.at(probe, "httpGet", "port");
                if (port == null) {
                    out.add(name + ": no " + probe);
                } else if (!(port instanceof String s) || !ports.contains(s)) {
                    out.add(name + ": " + probe + " port " + port + " is not one of its named ports " + ports);
                }
            }
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (container.at("resources", kind, resource) == null) {
                        out.add(name + ": no resources." + kind + "." + resource);
                    }
                }
            }
        }
        return out;
    }
}
