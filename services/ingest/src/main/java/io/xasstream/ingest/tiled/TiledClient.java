package io.xasstream.ingest.tiled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.ingest.IngestSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few routes of Tiled's HTTP API (v1) the archive adapter reads: {@code /api/v1/search/{path}} (paginated by
 * {@code page[offset]}/{@code page[limit]}, following {@code links.next}), {@code /api/v1/metadata/{path}} and
 * {@code /api/v1/table/full/{path}} as JSON (column → values) or CSV. An API key goes in
 * {@code Authorization: Apikey KEY}.
 */
public final class TiledClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One search hit: the entry's key (a run uid) and its metadata (for a Bluesky run: start, stop, summary). */
    public record Entry(String id, Map<String, Object> metadata) {
    }

    /** One page of a search: the hits, the total count and the next page's URL (null on the last page). */
    public record Page(List<Entry> entries, long count, String next) {
    }

    private final String base;
    private final String apiKey;
    private final HttpClient http;

    /** @param baseUrl the server, e.g. https://tiled.example.org (the API lives under /api/v1) */
    public TiledClient(String baseUrl, String apiKey) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("no Tiled server: give --url or set " + IngestSettings.TILED_URL.name());
        }
        this.base = baseUrl.replaceAll("/+$", "");
        this.apiKey = apiKey == null ? "" : apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public String baseUrl() {
        return base;
    }

    /**
     * The first page of a search of the container at {@code path}.
     *
     * @param filters extra query parameters (Tiled query filters), already spelled as Tiled expects
     */
    public Page search(String path, Map<String, String> filters, int limit) throws IOException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("page[offset]", "0");
        q.put("page[limit]", Integer.toString(limit));
        q.put("fields", "metadata");
        q.putAll(filters);
        return page(base + "/api/v1/search/" + encodePath(path) + "?" + query(q));
    }

    /** The page at a {@code links.next} URL (absolute, or relative to the server). */
    public Page next(String url) throws IOException {
        return page(url.startsWith("http") ? url : base + (url.startsWith("/") ? "" : "/") + url);
    }

    private Page page(String url) throws IOException {
        JsonNode root = get(url, "application/json");
        List<Entry> entries = new ArrayList<>();
        for (JsonNode item : root.path("data")) {
            entries.add(new Entry(item.path("id").asText(), toMap(item.path("attributes").path("metadata"))));
        }
        JsonNode next = root.path("links").path("next");
        long count = root.path("meta").path("count").asLong(entries.size());
        return new Page(entries, count, next.isTextual() && !next.asText().isBlank() ? next.asText() : null);
    }

    /** The metadata of the node at {@code path} (empty when the node has none). */
    public Map<String, Object> metadata(String path) throws IOException {
        return toMap(get(base + "/api/v1/metadata/" + encodePath(path), "application/json")
                .path("data").path("attributes").path("metadata"));
    }

    /** The whole table at {@code path} as Tiled sends it (JSON: column → values; CSV: header and rows). */
    public String table(String path, IngestSettings.TableFormat format) throws IOException {
        String mime = format == IngestSettings.TableFormat.CSV ? "text/csv" : "application/json";
        return body(base + "/api/v1/table/full/" + encodePath(path) + "?format="
                + URLEncoder.encode(mime, StandardCharsets.UTF_8), mime);
    }

    private JsonNode get(String url, String accept) throws IOException {
        return JSON.readTree(body(url, accept));
    }

    private String body(String url, String accept) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(url)).timeout(Duration.ofMinutes(2)).header("Accept", accept)
                .GET();
        if (!apiKey.isBlank()) {
            b.header("Authorization", "Apikey " + apiKey);
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + url, e);
        }
        if (r.statusCode() != 200) {
            String text = r.body() == null ? "" : r.body();
            throw new IOException("Tiled answered " + r.statusCode() + " to GET " + url + ": "
                    + text.substring(0, Math.min(300, text.length())));
        }
        return r.body();
    }

    /** Tiled's own links carry raw brackets (page[offset]), which java.net.URI refuses in a query. */
    static URI uri(String url) {
        return URI.create(url.replace("[", "%5B").replace("]", "%5D").replace(" ", "%20"));
    }

    private static String encodePath(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        return String.join("/", parts);
    }

    private static String query(Map<String, String> q) {
        List<String> parts = new ArrayList<>();
        q.forEach((k, v) -> parts.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", parts);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        return JSON.convertValue(node, LinkedHashMap.class);
    }
}
