package io.xasstream.monitor.state;

import io.xasstream.common.serde.AvroDecodeException;
import io.xasstream.common.serde.SingleObjectCodec;
import io.xasstream.monitor.MonitorConfig;
import io.xasstream.schema.monitor.StoredSampleState;

/**
 * The bytes of the samples store: {@link StoredSampleState} in Avro single-object encoding (marker C3 01, schema
 * fingerprint, body), so that its schema evolves under the compatibility test like every topic.
 *
 * <p>Migration: a store or changelog written by the release before it holds the hand-written binary format, whose
 * first byte is its version (1). Such a value is read by {@link LegacySampleState} and written back in Avro with the
 * sample's next result, so a monitor restarted on an old changelog goes on where the old one stopped.
 */
public final class SampleStateCodec {
    private static final SingleObjectCodec<StoredSampleState> AVRO = SingleObjectCodec.of(StoredSampleState.class);

    private SampleStateCodec() {
    }

    public static byte[] encode(SampleState state) {
        return AVRO.encode(MonitorStores.SAMPLES, state.toStored());
    }

    public static SampleState decode(byte[] bytes, MonitorConfig config) {
        return SampleState.restore(stored(bytes), config);
    }

    /** The stored record, whichever of the two formats the bytes are in. */
    public static StoredSampleState stored(byte[] bytes) {
        if (LegacySampleState.isLegacy(bytes)) {
            return LegacySampleState.read(bytes);
        }
        try {
            return AVRO.decode(MonitorStores.SAMPLES, bytes);
        } catch (AvroDecodeException e) {
            throw new IllegalStateException("unreadable sample state: " + e.getMessage(), e);
        }
    }
}
