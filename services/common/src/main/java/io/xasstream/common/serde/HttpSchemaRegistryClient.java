package io.xasstream.common.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/** Schema Registry REST client (Confluent API) with caching: each schema is registered and each id fetched once. */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final URI base;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Integer> registered = new ConcurrentHashMap<>();
    private final Map<Integer, Optional<Schema>> byId = new ConcurrentHashMap<>();

    /**
     * @param baseUrl   registry URL, e.g. http://registry:8081
     * @param basicAuth user:password, or empty for none
     */
    public HttpSchemaRegistryClient(String baseUrl, String basicAuth) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.authorization = basicAuth == null || basicAuth.isEmpty() ? null
                : "Basic " + Base64.getEncoder().encodeToString(basicAuth.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int register(String subject, Schema schema) {
        return registered.computeIfAbsent(subject + "\u0000" + schema, k -> {
            try {
                String body = JSON.writeValueAsString(Map.of("schema", schema.toString()));
                HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("subjects/"
                                + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions"))
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException("schema registry refused " + subject + ": HTTP "
                            + response.statusCode() + " " + response.body());
                }
                return JSON.readTree(response.body()).path("id").asInt();
            } catch (IOException e) {
                throw new IllegalStateException("schema registry " + base + " unreachable: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Optional<Schema> byId(int id) {
        Optional<Schema> cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        try {
            HttpResponse<String> response = send(HttpRequest.newBuilder(base.resolve("schemas/ids/" + id)).GET());
            if (response.statusCode() == 404) {
                byId.put(id, Optional.empty());
                return Optional.empty();
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("schema registry: HTTP " + response.statusCode() + " for id " + id);
            }
            JsonNode node = JSON.readTree(response.body());
            Optional<Schema> schema = Optional.of(new Schema.Parser().parse(node.path("schema").asText()));
            byId.put(id, schema);
            return schema;
        } catch (IOException e) {
            throw new IllegalStateException("schema registry " + base + " unreachable: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.header("Accept", CONTENT_TYPE).timeout(Duration.ofSeconds(30));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
