package io.xasstream.ingest.bluesky;

import io.xasstream.ingest.msgpack.MsgpackWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BMM-shaped Bluesky run (start with XDI metadata, a primary stream of dcm_energy/I0/It/Ir, a baseline stream
 * with the sample temperature, stop) rendered from a scan's columns, as the RunEngine would emit it and
 * {@code bluesky-kafka} would publish it. It feeds the adapter's tests and lets a site try {@code ingest bluesky}
 * without a beamline.
 */
public final class SimulatedRun {
    /** How the primary stream's rows travel. */
    public enum Layout {
        /** one event document per point, plain msgpack floats */
        EVENTS,
        /** one event document per point, values as numpy scalars (msgpack-numpy {nd: False}) */
        NUMPY_EVENTS,
        /** event_page documents of up to {@code pageSize} rows, columns as msgpack lists */
        EVENT_PAGES,
        /** event_page documents whose columns are numpy arrays (msgpack-numpy {nd: True}) */
        NUMPY_PAGES
    }

    private final String uid;
    private final double[] energy;
    private final double[] i0;
    private final double[] it;
    private double[] ir;
    private String element = "Fe";
    private String edge = "K";
    private String sample = "sample";
    private String dataSession = "pass-000000";
    private String energyKey = "dcm_energy";
    private String energyUnits = "eV";
    private double energyScale = 1.0;
    private Double temperature;
    private String exitStatus = "success";
    private String reason = "";
    private Layout layout = Layout.EVENTS;
    private int pageSize = 50;
    private double time = 1.7e9;

    private SimulatedRun(String uid, double[] energy, double[] i0, double[] it) {
        if (energy.length != i0.length || energy.length != it.length) {
            throw new IllegalArgumentException("energy, I0 and It need one value per point");
        }
        this.uid = uid;
        this.energy = energy.clone();
        this.i0 = i0.clone();
        this.it = it.clone();
    }

    /** @param energy eV */
    public static SimulatedRun of(String uid, double[] energy, double[] i0, double[] it) {
        return new SimulatedRun(uid, energy, i0, it);
    }

    public SimulatedRun reference(double[] irefer) {
        this.ir = irefer == null ? null : irefer.clone();
        return this;
    }

    public SimulatedRun absorber(String element, String edge) {
        this.element = element;
        this.edge = edge;
        return this;
    }

    public SimulatedRun sample(String sample) {
        this.sample = sample;
        return this;
    }

    public SimulatedRun dataSession(String dataSession) {
        this.dataSession = dataSession;
        return this;
    }

    /** The energy column's name (not dcm_energy: the adapter must find it through hints.dimensions). */
    public SimulatedRun energyKey(String key) {
        this.energyKey = key;
        return this;
    }

    /** Energies published in keV (descriptor units "keV"). */
    public SimulatedRun inKeV() {
        this.energyUnits = "keV";
        this.energyScale = 1e-3;
        return this;
    }

    public SimulatedRun temperature(double celsius) {
        this.temperature = celsius;
        return this;
    }

    public SimulatedRun exit(String status, String reason) {
        this.exitStatus = status;
        this.reason = reason;
        return this;
    }

    public SimulatedRun layout(Layout layout, int pageSize) {
        this.layout = layout;
        this.pageSize = pageSize;
        return this;
    }

    public SimulatedRun startTime(double epochSeconds) {
        this.time = epochSeconds;
        return this;
    }

    public String uid() {
        return uid;
    }

    /** The documents in RunEngine order: start, descriptors, baseline, primary rows, baseline, stop. */
    public List<BlueskyDocument> documents() {
        List<BlueskyDocument> docs = new ArrayList<>();
        docs.add(new BlueskyDocument("start", start()));
        String primary = uid + "-primary";
        String baseline = uid + "-baseline";
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put(energyKey, dataKey("XF:06BMA-OP{Mono:DCM1}Energy", energyUnits));
        keys.put("I0", dataKey("XF:06BM-BI{EM:1}I0", "nA"));
        keys.put("It", dataKey("XF:06BM-BI{EM:1}It", "nA"));
        if (ir != null) {
            keys.put("Ir", dataKey("XF:06BM-BI{EM:1}Ir", "nA"));
        }
        docs.add(new BlueskyDocument("descriptor", descriptor(primary, "primary", keys)));
        if (temperature != null) {
            docs.add(new BlueskyDocument("descriptor", descriptor(baseline, "baseline",
                    Map.of("sample_temperature", dataKey("XF:06BM-ES{LS:1}T", "C")))));
            docs.add(baselineEvent(baseline, 1, temperature - 0.5));
        }
        boolean pages = layout == Layout.EVENT_PAGES || layout == Layout.NUMPY_PAGES;
        for (int from = 0; from < energy.length; from += pages ? pageSize : 1) {
            int to = pages ? Math.min(energy.length, from + pageSize) : from + 1;
            docs.add(pages ? page(primary, from, to) : event(primary, from));
        }
        if (temperature != null) {
            docs.add(baselineEvent(baseline, 2, temperature + 0.5));
        }
        Map<String, Object> stop = new LinkedHashMap<>();
        stop.put("uid", uid + "-stop");
        stop.put("run_start", uid);
        stop.put("time", time + energy.length + 1.0);
        stop.put("exit_status", exitStatus);
        stop.put("reason", reason);
        stop.put("num_events", Map.of("primary", (long) energy.length));
        docs.add(new BlueskyDocument("stop", stop));
        return docs;
    }

    /** Each document as a Kafka message value: msgpack of [name, doc]. */
    public List<byte[]> messages() {
        return documents().stream().map(SimulatedRun::encode).toList();
    }

    public static byte[] encode(BlueskyDocument d) {
        return MsgpackWriter.write(List.of(d.name(), d.doc()));
    }

    private Map<String, Object> start() {
        Map<String, Object> xdi = new LinkedHashMap<>();
        xdi.put("Element", Map.of("symbol", element, "edge", edge));
        xdi.put("Sample", Map.of("name", sample, "prep", "pressed pellet"));
        xdi.put("Facility", Map.of("name", "NSLS-II", "GUP", 301234L));
        xdi.put("Beamline", Map.of("name", "BMM (06BM) -- Beamline for Materials Measurement"));
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("uid", uid);
        start.put("time", time);
        start.put("scan_id", 4242L);
        start.put("plan_name", "scan_nd");
        start.put("beamline_id", "BMM");
        start.put("data_session", dataSession);
        start.put("motors", List.of(energyKey));
        start.put("hints", Map.of("dimensions", List.of(List.of(List.of(energyKey), "primary"))));
        start.put("XDI", xdi);
        return start;
    }

    private Map<String, Object> descriptor(String descUid, String name, Map<String, Object> dataKeys) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("uid", descUid);
        d.put("run_start", uid);
        d.put("name", name);
        d.put("time", time + 0.1);
        d.put("data_keys", dataKeys);
        d.put("object_keys", Map.of());
        return d;
    }

    private static Map<String, Object> dataKey(String source, String units) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("dtype", "number");
        k.put("shape", List.of());
        k.put("source", "PV:" + source);
        k.put("units", units);
        return k;
    }

    private BlueskyDocument baselineEvent(String descUid, long seq, double t) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("uid", descUid + "-" + seq);
        e.put("descriptor", descUid);
        e.put("seq_num", seq);
        e.put("time", time + seq);
        e.put("data", Map.of("sample_temperature", t));
        e.put("timestamps", Map.of("sample_temperature", time + seq));
        return new BlueskyDocument("event", e);
    }

    private BlueskyDocument event(String descUid, int i) {
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> ts = new LinkedHashMap<>();
        double t = time + 1 + i;
        put(data, ts, energyKey, energy[i] * energyScale, t);
        put(data, ts, "I0", i0[i], t);
        put(data, ts, "It", it[i], t);
        if (ir != null) {
            put(data, ts, "Ir", ir[i], t);
        }
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("uid", descUid + "-" + (i + 1));
        e.put("descriptor", descUid);
        e.put("seq_num", (long) (i + 1));
        e.put("time", t);
        e.put("data", data);
        e.put("timestamps", ts);
        e.put("filled", Map.of());
        return new BlueskyDocument("event", e);
    }

    private void put(Map<String, Object> data, Map<String, Object> ts, String key, double v, double t) {
        data.put(key, layout == Layout.NUMPY_EVENTS ? new MsgpackWriter.NumpyScalar(v) : v);
        ts.put(key, t);
    }

    private BlueskyDocument page(String descUid, int from, int to) {
        Map<String, Object> data = new LinkedHashMap<>();
        double[] e = Arrays.copyOfRange(energy, from, to);
        for (int k = 0; k < e.length; k++) {
            e[k] *= energyScale;
        }
        data.put(energyKey, column(e));
        data.put("I0", column(Arrays.copyOfRange(i0, from, to)));
        data.put("It", column(Arrays.copyOfRange(it, from, to)));
        if (ir != null) {
            data.put("Ir", column(Arrays.copyOfRange(ir, from, to)));
        }
        List<Object> seq = new ArrayList<>();
        List<Object> times = new ArrayList<>();
        List<Object> uids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            seq.add((long) (i + 1));
            times.add(time + 1 + i);
            uids.add(descUid + "-" + (i + 1));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("descriptor", descUid);
        p.put("uid", uids);
        p.put("seq_num", seq);
        p.put("time", times);
        p.put("data", data);
        p.put("timestamps", Map.of());
        p.put("filled", Map.of());
        return new BlueskyDocument("event_page", p);
    }

    private Object column(double[] values) {
        if (layout == Layout.NUMPY_PAGES) {
            return values;
        }
        List<Object> l = new ArrayList<>(values.length);
        for (double v : values) {
            l.add(v);
        }
        return l;
    }
}
