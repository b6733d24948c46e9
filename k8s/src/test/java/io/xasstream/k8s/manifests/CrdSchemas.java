package io.xasstream.k8s.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Custom resources checked against the openAPIV3Schema of their CRD (test resources under crds/, README there says
 * where each comes from) with com.networknt's JSON Schema validator. Unknown fields are rejected as an API server
 * with strict field validation does: every object schema that lists properties gets additionalProperties false
 * unless it says x-kubernetes-preserve-unknown-fields.
 */
final class CrdSchemas {
    static final List<String> FILES = List.of(
            "crds/strimzi/040-Crd-kafka.yaml", "crds/strimzi/043-Crd-kafkatopic.yaml",
            "crds/strimzi/044-Crd-kafkauser.yaml", "crds/strimzi/045-Crd-kafkanodepool.yaml",
            "crds/keda/keda.sh_scaledobjects.yaml",
            "crds/prometheus-operator/monitoring.coreos.com_servicemonitors.yaml",
            "crds/prometheus-operator/monitoring.coreos.com_prometheusrules.yaml");
    private static final Set<String> STANDARD_FORMATS = Set.of("date-time", "date", "email", "hostname", "ipv4",
            "ipv6", "uri");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, JsonSchema> byApiVersionKind = new HashMap<>();

    CrdSchemas() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        for (String file : FILES) {
            try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(file)) {
                if (in == null) {
                    throw new IOException("missing test resource " + file);
                }
                JsonNode crd = json.valueToTree(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
                String group = crd.at("/spec/group").asText();
                String kind = crd.at("/spec/names/kind").asText();
                for (JsonNode version : crd.at("/spec/versions")) {
                    if (!version.path("served").asBoolean(true)) {
                        continue;
                    }
                    JsonNode schema = strict(version.at("/schema/openAPIV3Schema").deepCopy());
                    byApiVersionKind.put(group + "/" + version.path("name").asText() + "/" + kind,
                            factory.getSchema(schema));
                }
            }
        }
    }

    boolean covers(K8sObject o) {
        return byApiVersionKind.containsKey(o.apiVersion() + "/" + o.kind());
    }

    List<String> violations(K8sObject o) {
        List<String> out = new ArrayList<>();
        for (ValidationMessage m : byApiVersionKind.get(o.apiVersion() + "/" + o.kind())
                .validate(json.valueToTree(o.tree()))) {
            out.add(o + ": " + m.getMessage());
        }
        return out;
    }

    /** The schema as a strict API server applies it; Kubernetes-only keywords and non-JSON-Schema formats go. */
    private static JsonNode strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode obj)) {
            return schema;
        }
        boolean preserve = obj.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (obj.path("x-kubernetes-int-or-string").asBoolean(false) && !obj.has("anyOf")) {
            ArrayNode anyOf = obj.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith("x-kubernetes-") || key.equals("description") || key.equals("nullable") || key.equals("example")
                    || key.equals("format") && !STANDARD_FORMATS.contains(obj.get(key).asText())) {
                it.remove();
            }
        }
        if (obj.has("properties") && !obj.has("additionalProperties") && !preserve) {
            obj.put("additionalProperties", false);
        }
        obj.path("properties").forEach(CrdSchemas::strict); // the values of "properties" are schemas
        strict(obj.path("additionalProperties"));
        strict(obj.path("not"));
        for (String list : List.of("items", "anyOf", "allOf", "oneOf")) {
            JsonNode n = obj.path(list);
            if (n.isArray()) {
                n.forEach(CrdSchemas::strict);
            } else {
                strict(n);
            }
        }
        return obj;
    }
}
