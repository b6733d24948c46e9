package io.xasstream.dashboard.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xasstream.common.json.RecordJson;
import io.xasstream.dashboard.feed.Item;
import io.xasstream.dashboard.feed.Kind;
import io.xasstream.schema.operando.Alert;
import io.xasstream.schema.operando.OperandoState;
import io.xasstream.schema.result.InferenceResult;
import java.time.Instant;

/**
 * Records of the results, operando-state and alerts topics as the JSON the browser reads: the schema's field names
 * (RecordJson, so a field added to an estimate, such as a trust verdict, reaches the page without a change here),
 * plus {@code t}, the acquisition time in epoch milliseconds that every chart plots against.
 */
public final class RecordItems {
    private RecordItems() {
    }

    public static Item result(InferenceResult r) {
        ObjectNode o = RecordJson.toJson(r);
        o.put("t", millis(r.getTimings().getAcquiredAt()));
        o.put("experimentId", r.getSource().getExperimentId().toString());
        o.put("sampleId", r.getSource().getSampleId().toString());
        // what the page does not show: the resolved normalisation parameters and the pipeline timestamps
        ((ObjectNode) o.get("preprocessing")).remove("parameters");
        o.remove("timings");
        return new Item(r.getKey().toString(), Kind.RESULT, o.toString());
    }

    public static Item alert(Alert a) {
        ObjectNode o = RecordJson.toJson(a);
        o.put("t", millis(a.getAtAcquiredAt()));
        return new Item(a.getKey().toString(), Kind.ALERT, o.toString());
    }

    public static Item state(OperandoState s) {
        ObjectNode o = RecordJson.toJson(s);
        o.put("t", millis(s.getUpdatedAt()));
        return new Item(s.getKey().toString(), Kind.STATE, o.toString());
    }

    public static long millis(Instant t) {
        return t == null ? 0 : t.toEpochMilli();
    }
}
