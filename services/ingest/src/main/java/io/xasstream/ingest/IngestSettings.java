package io.xasstream.ingest;

import io.xasstream.common.config.Setting;
import io.xasstream.common.config.SettingsGroup;
import java.util.List;

/**
 * Settings of the ingest adapters ({@code ./xasstream ingest bluesky|karabo|tiled}), registered as a
 * {@link SettingsGroup}. Per-run choices (topics, profile, --once) are command options, not settings.
 */
public final class IngestSettings implements SettingsGroup {
    /** ZeroMQ socket pattern of the Karabo bridge: REQ sends "next" per train, SUB receives what is published. */
    public enum KaraboSocket { REQ, SUB }

    /** How Tiled sends a table: JSON (column → values) or CSV. */
    public enum TableFormat { JSON, CSV }

    public static final Setting<String> BLUESKY_APPLICATION_ID = Setting.string("ingest.bluesky.application-id",
            "xasstream-ingest-bluesky", "Kafka Streams application.id of the Bluesky adapter: its consumer group, "
                    + "transactional ids and the changelog of open runs (a restart continues them).");
    public static final Setting<String> BLUESKY_STATE_DIR = Setting.string("ingest.bluesky.state-dir", "",
            "State directory of the Bluesky adapter's open runs; empty: a temporary directory (restored from the "
                    + "changelog on restart).");
    public static final Setting<Long> BLUESKY_RUN_MAX_AGE_MS = Setting.longValue("ingest.bluesky.run-max-age-ms",
            24L * 3600 * 1000, 60_000L, "An open Bluesky run (start seen, no stop) older than this in stream time "
                    + "(the newest document timestamp of its partition) is dead-lettered as RUN_EXPIRED and removed "
                    + "from the store; its late documents become orphans.");
    public static final Setting<Integer> BLUESKY_MAX_OPEN_RUNS = Setting.integer("ingest.bluesky.max-open-runs",
            1000, 1, 1_000_000, "Open Bluesky runs kept per stream task (one partition number of the matched "
                    + "topics); a start beyond it dead-letters the oldest open run as RUN_EXPIRED.");
    public static final Setting<String> KARABO_ENDPOINT = Setting.string("ingest.karabo.endpoint",
            "tcp://127.0.0.1:4545", "ZeroMQ endpoint of the Karabo bridge (the bridge binds, the adapter connects).");
    public static final Setting<KaraboSocket> KARABO_SOCKET = Setting.oneOf("ingest.karabo.socket", KaraboSocket.class,
            KaraboSocket.REQ, "Karabo bridge socket pattern: req (ask for each train) or sub (subscribe).");
    public static final Setting<Integer> KARABO_TIMEOUT_MS = Setting.integer("ingest.karabo.receive-timeout-ms", 5000,
            10, 3_600_000, "Longest wait for a train; with --once the adapter stops after one such wait in vain, counted from the "
                    + "ZeroMQ handshake.");
    public static final Setting<String> TILED_URL = Setting.string("ingest.tiled.url", "",
            "Base URL of the Tiled server, e.g. https://tiled.nsls2.bnl.gov (the API is under /api/v1).");
    public static final Setting<String> TILED_API_KEY = Setting.secret("ingest.tiled.api-key",
            "Tiled API key, sent as 'Authorization: Apikey KEY'; empty for a public catalog.");
    public static final Setting<Integer> TILED_PAGE_SIZE = Setting.integer("ingest.tiled.page-size", 100, 1, 10_000,
            "Runs per page of a Tiled search.");
    public static final Setting<TableFormat> TILED_FORMAT = Setting.oneOf("ingest.tiled.format", TableFormat.class,
            TableFormat.JSON, "Format asked of Tiled for a run's event table: json or csv.");
    public static final Setting<String> TILED_TRANSACTIONAL_ID = Setting.string("ingest.tiled.transactional-id",
            "xasstream-ingest-tiled-1", "Transactional id of the Tiled adapter: each run's spectrum and its checkpoint "
                    + "commit together.");

    @Override
    public int rank() {
        return 400;
    }

    @Override
    public List<Setting<?>> settings() {
        return List.of(BLUESKY_APPLICATION_ID, BLUESKY_STATE_DIR, BLUESKY_RUN_MAX_AGE_MS, BLUESKY_MAX_OPEN_RUNS,
                KARABO_ENDPOINT, KARABO_SOCKET, KARABO_TIMEOUT_MS, TILED_URL, TILED_API_KEY, TILED_PAGE_SIZE, TILED_FORMAT, TILED_TRANSACTIONAL_ID);
    }
}
