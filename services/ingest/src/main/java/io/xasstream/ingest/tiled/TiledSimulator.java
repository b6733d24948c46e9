package io.xasstream.ingest.tiled;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.xasstream.ingest.bluesky.BlueskyDocument;
import io.xasstream.ingest.bluesky.SimulatedRun;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small Tiled server: one catalog of Bluesky runs answered on the routes the adapter reads, shaped as Tiled
 * answers them ({@code data}/{@code links}/{@code meta} envelopes, raw-bracket pagination links, a run's metadata
 * {start, stop}, a stream's metadata with data_keys, the event table as JSON columns or CSV), with an optional API
 * key ({@code Authorization: Apikey KEY}). It feeds the adapter's tests and lets a site try {@code ingest tiled}
 * without an archive.
 */
public final class TiledSimulator implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A run as Tiled holds it: start and stop metadata, and per stream its data_keys and table columns. */
    public record Run(Map<String, Object> start, Map<String, Object> stop,
                      Map<String, Map<String, Object>> dataKeys, Map<String, Map<String, List<Object>>> tables) {
    }

    private final HttpServer server;
    private final String catalog;
    private final String apiKey;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    public TiledSimulator(String catalog, String apiKey) throws IOException {
        this.catalog = catalog;
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a run from its Bluesky documents, as a Tiled writer would have stored it. */
    public void add(SimulatedRun sim, boolean withStop) {
        Map<String, Object> start = null;
        Map<String, Object> stop = null;
        Map<String, String> streamOf = new LinkedHashMap<>();
        Map<String, Map<String, Object>> keys = new LinkedHashMap<>();
        Map<String, Map<String, List<Object>>> tables = new LinkedHashMap<>();
        for (BlueskyDocument d : sim.documents()) {
            Map<String, Object> doc = d.doc();
            switch (d.name()) {
                case "start" -> start = doc;
                case "stop" -> stop = doc;
                case "descriptor" -> {
                    String stream = (String) doc.get("name");
                    streamOf.put((String) doc.get("uid"), stream);
                    keys.put(stream, Map.of("data_keys", doc.get("data_keys")));
                    tables.put(stream, new LinkedHashMap<>());
                }
                case "event" -> {
                    Map<String, List<Object>> t = tables.get(streamOf.get(doc.get("descriptor")));
                    t.computeIfAbsent("seq_num", k -> new ArrayList<>()).add(doc.get("seq_num"));
                    t.computeIfAbsent("time", k -> new ArrayList<>()).add(doc.get("time"));
                    ((Map<?, ?>) doc.get("data")).forEach((k, v) -> t.computeIfAbsent((String) k,
                            x -> new ArrayList<>()).add(v));
                }
                default -> throw new IllegalArgumentException("stub takes runs of plain events, not " + d.name());
            }
        }
        runs.put(sim.uid(), new Run(start, withStop ? stop : null, keys, tables));
        order.add(sim.uid());
    }

    /** Removes a column from a stream's table (a detector that was not recorded). */
    public void dropColumn(String uid, String stream, String column) {
        runs.get(uid).tables().get(stream).remove(column);
    }

    /** Every request URI so far (path and query), in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        requests.add(ex.getRequestURI().toString());
        try (ex) {
            if (!apiKey.isEmpty() && !("Apikey " + apiKey).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "application/json", "{\"detail\":\"Not authenticated\"}");
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String prefix = "/api/v1/";
            String rest = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
            if (rest.equals("search/" + catalog)) {
                send(ex, 200, "application/json", JSON.writeValueAsString(search(q)));
            } else if (rest.startsWith("metadata/" + catalog + "/")) {
                String[] p = rest.substring(("metadata/" + catalog + "/").length()).split("/");
                Run run = runs.get(p[0]);
                if (run == null || p.length != 2 || !run.dataKeys().containsKey(p[1])) {
                    send(ex, 404, "application/json", "{\"detail\":\"No such entry\"}");
                    return;
                }
                Map<String, Object> attributes = new LinkedHashMap<>();
                attributes.put("structure_family", "composite");
                attributes.put("specs", List.of(Map.of("name", "BlueskyEventStream", "version", "3.0")));
                attributes.put("metadata", run.dataKeys().get(p[1]));
                send(ex, 200, "application/json", JSON.writeValueAsString(Map.of("data", Map.of("id", p[1],
                        "attributes", attributes))));
            } else if (rest.startsWith("table/full/" + catalog + "/")) {
                String[] p = rest.substring(("table/full/" + catalog + "/").length()).split("/");
                Run run = runs.get(p[0]);
                if (run == null || p.length != 3 || !p[2].equals("internal") || !run.tables().containsKey(p[1])) {
                    send(ex, 404, "application/json", "{\"detail\":\"No such entry\"}");
                    return;
                }
                Map<String, List<Object>> t = run.tables().get(p[1]);
                if ("text/csv".equals(q.get("format"))) {
                    send(ex, 200, "text/csv", csv(t));
                } else {
                    send(ex, 200, "application/json", JSON.writeValueAsString(t));
                }
            } else {
                send(ex, 404, "application/json", "{\"detail\":\"Not Found\"}");
            }
        }
    }

    private Map<String, Object> search(Map<String, String> q) {
        int offset = Integer.parseInt(q.getOrDefault("page[offset]", "0"));
        int limit = Integer.parseInt(q.getOrDefault("page[limit]", "100"));
        double since = "start.time".equals(q.get("filter[comparison][condition][key]"))
                ? Double.parseDouble(q.get("filter[comparison][condition][value]")) : Double.NEGATIVE_INFINITY;
        List<String> hits = order.stream().filter(uid -> ((Number) runs.get(uid).start().get("time")).doubleValue()
                >= since).toList();
        List<Object> data = new ArrayList<>();
        for (String uid : hits.subList(Math.min(offset, hits.size()), Math.min(offset + limit, hits.size()))) {
            Run run = runs.get(uid);
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("start", run.start());
            metadata.put("stop", run.stop());
            metadata.put("summary", Map.of("uid", uid, "plan_name", run.start().get("plan_name")));
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("ancestors", List.of(catalog.split("/")));
            attributes.put("structure_family", "container");
            attributes.put("specs", List.of(Map.of("name", "BlueskyRun", "version", "3.0")));
            attributes.put("metadata", metadata);
            attributes.put("structure", null);
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", uid);
            item.put("attributes", attributes);
            item.put("links", Map.of("self", url() + "/api/v1/metadata/" + catalog + "/" + uid,
                    "search", url() + "/api/v1/search/" + catalog + "/" + uid));
            item.put("meta", null);
            data.add(item);
        }
        String filter = q.entrySet().stream().filter(e -> e.getKey().startsWith("filter"))
                .map(e -> "&" + e.getKey() + "=" + e.getValue()).reduce("", String::concat);
        String self = url() + "/api/v1/search/" + catalog;
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", self + "?page[offset]=" + offset + "&page[limit]=" + limit + filter);
        links.put("first", self + "?page[offset]=0&page[limit]=" + limit + filter);
        links.put("next", offset + limit < hits.size()
                ? self + "?page[offset]=" + (offset + limit) + "&page[limit]=" + limit + filter : null);
        links.put("prev", offset > 0 ? self + "?page[offset]=" + Math.max(0, offset - limit) + "&page[limit]=" + limit
                + filter : null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data);
        out.put("error", null);
        out.put("links", links);
        out.put("meta", Map.of("count", hits.size()));
        return out;
    }

    private static String csv(Map<String, List<Object>> t) {
        StringBuilder sb = new StringBuilder(String.join(",", t.keySet())).append('\n');
        int rows = t.values().iterator().next().size();
        for (int r = 0; r < rows; r++) {
            List<String> cells = new ArrayList<>();
            for (List<Object> col : t.values()) {
                cells.add(String.valueOf(col.get(r)));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        return sb.toString();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            q.put(k, eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
