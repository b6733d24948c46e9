package io.xasstream.ingest.tiled;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.mapping.IngestRejection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Tiled table body → columns: JSON is {@code {column: [values]}}, CSV has a header line and one row per event.
 * A body that is neither is the run's problem, not the connection's: it is refused (UNDECODABLE_DOCUMENT).
 */
final class TiledTables {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TiledTables() {
    }

    static Map<String, List<Object>> parse(String body, IngestSettings.TableFormat format) throws IngestRejection {
        try {
            return format == IngestSettings.TableFormat.CSV ? csv(body) : json(body);
        } catch (IOException e) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "event table: " + e.getMessage());
        }
    }

    static Map<String, List<Object>> json(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (!root.isObject()) {
            throw new IOException("a table as JSON is an object of columns");
        }
        Map<String, List<Object>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw new IOException("table column " + e.getKey() + " is not an array");
            }
            List<Object> col = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                col.add(v.isNumber() ? (Object) v.asDouble() : v.isNull() ? null : v.isBoolean() ? v.asBoolean()
                        : v.isTextual() ? v.asText() : v.toString());
            }
            out.put(e.getKey(), col);
        }
        return out;
    }

    /** Comma-separated, first line the column names (as pandas writes it); numbers become doubles, empty cells nulls. */
    static Map<String, List<Object>> csv(String body) throws IOException {
        CsvMapper mapper = new CsvMapper();
        Map<String, List<Object>> out = new LinkedHashMap<>();
        try (MappingIterator<Map<String, String>> rows = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(body)) {
            CsvSchema header = (CsvSchema) rows.getParser().getSchema();
            header.forEach(c -> out.put(c.getName(), new ArrayList<>()));
            if (out.isEmpty()) {
                throw new IOException("a table as CSV needs a header line");
            }
            while (rows.hasNextValue()) {
                Map<String, String> row = rows.nextValue();
                if (row.size() != out.size()) {
                    throw new IOException("a CSV row has " + row.size() + " cells for " + out.size() + " columns");
                }
                out.forEach((name, col) -> col.add(cell(row.get(name))));
            }
        } catch (RuntimeException e) {
            throw new IOException("not a CSV table: " + e.getMessage(), e);
        }
        return out;
    }

    private static Object cell(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return null;
        }
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            return t;
        }
    }
}
