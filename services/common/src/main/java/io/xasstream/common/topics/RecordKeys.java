package io.xasstream.common.topics;

/** The record key of every spectrum, result and state record: experiment id + "/" + sample id. */
public final class RecordKeys {
    private RecordKeys() {
    }

    /** One sample's records share a key, hence a partition, hence their order. */
    public static String of(String experimentId, String sampleId) {
        return experimentId + "/" + sampleId;
    }
}
