package io.xasstream.k8s.manifests;

import java.util.List;
import java.util.Map;

/** The ACLs of a Strimzi KafkaUser (spec.authorization.acls). */
public final class Acls {
    private Acls() {
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> of(K8sObject user) {
        Object acls = user.at("spec", "authorization", "acls");
        return acls == null ? List.of() : (List<Map<String, Object>>) acls;
    }

    /** True when the ACL covers the named resource (literal name or prefix). */
    @SuppressWarnings("unchecked")
    public static boolean matches(Map<String, Object> acl, String type, String name) {
        Map<String, Object> resource = (Map<String, Object>) acl.get("resource");
        if (!type.equals(resource.get("type")) || "deny".equals(acl.get("type"))) {
            return false;
        }
        String pattern = String.valueOf(resource.get("name"));
        return "prefix".equals(resource.get("patternType")) ? name.startsWith(pattern) : name.equals(pattern);
    }

    @SuppressWarnings("unchecked")
    public static boolean grantsWrite(Map<String, Object> acl, String type, String name) {
        List<String> ops = (List<String>) acl.get("operations");
        return matches(acl, type, name) && (ops.contains("Write") || ops.contains("All"));
    }
}
