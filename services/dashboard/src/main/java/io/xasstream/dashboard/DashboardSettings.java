package io.xasstream.dashboard;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.SettingsGroup;
import java.util.List;

/** The settings of the live dashboard, registered as a {@link SettingsGroup}. */
public final class DashboardSettings implements SettingsGroup {
    public static final Setting<String> HOST = Setting.string("dashboard.host", "127.0.0.1",
            "Interface of the HTTP server on monitor.http.port (the dashboard at /, its event stream /events and "
                    + "the monitor's query API); 0.0.0.0 serves other machines: set dashboard.token then.");
    public static final Setting<String> TOKEN = Setting.secret("dashboard.token",
            "When set, every route of that server needs it: log in once at /login (HTTP Basic, the token as "
                    + "password), which sets an HttpOnly SameSite=Strict session cookie, or send "
                    + "'Authorization: Bearer TOKEN'. Empty: no login (loopback use).");
    public static final Setting<Integer> PUSH_INTERVAL_MS = Setting.integer("dashboard.push-interval-ms", 500, 50,
            10_000, "Events to one browser are coalesced: at most one batch per interval.");
    public static final Setting<Integer> HISTORY_POINTS = Setting.integer("dashboard.history-points", 1_000, 10,
            100_000, "Results kept per sample for a browser that opens it, and read back from each partition of "
                    + "the topics at start (the dashboard reads like tail: no consumer group).");
    public static final Setting<Integer> SAMPLES = Setting.integer("dashboard.samples", 50, 1, 10_000,
            "Samples followed at once; the one updated longest ago is forgotten first.");
    public static final Setting<Integer> CLIENT_QUEUE = Setting.integer("dashboard.client-queue", 64, 2, 10_000,
            "Batches waiting for one browser; a browser this far behind is disconnected (its EventSource reconnects "
                    + "and resumes), never the service.");
    public static final Setting<Long> RESUME_BUFFER_BYTES = Setting.longValue("dashboard.resume-buffer-bytes",
            16L * 1024 * 1024, 65_536L, "Size of the ring of recent batches from which a reconnecting browser "
                    + "resumes (Last-Event-ID) without gaps or duplicates; older ids get a fresh snapshot.");
    public static final Setting<Boolean> SPECTRA = Setting.bool("dashboard.spectra", true,
            "Join the spectra topic for the view of normalised spectra (per sample and push, only the latest "
                    + "spectrum is decoded and normalised; raw spectra never reach the browser).");

    /** After the monitor's settings (its monitor.http.port is the dashboard's port), before the demo's. */
    @Override
    public int rank() {
        return 250;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(HOST, TOKEN, PUSH_INTERVAL_MS, HISTORY_POINTS, SAMPLES, CLIENT_QUEUE, RESUME_BUFFER_BYTES,
                SPECTRA);
    }
}
