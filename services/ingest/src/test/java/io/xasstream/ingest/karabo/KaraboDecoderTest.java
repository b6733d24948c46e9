package io.xasstream.ingest.karabo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.ingest.msgpack.MsgpackWriter;
import io.xasstream.ingest.msgpack.NdArray;
import io.xasstream.ingest.profile.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Karabo bridge framing (protocol 2.2 pairs and 1.0 single maps) → trains, and what is refused. */
class KaraboDecoderTest {
    private static byte[] header(String source, String content, Map<String, Object> extra) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("source", source);
        h.put("content", content);
        h.putAll(extra);
        return MsgpackWriter.write(h);
    }

    @Test
    void protocol22PairsGiveDataArraysAndTheTrainId() throws Exception {
        Map<String, Object> meta = Map.of("source", "XGM", "timestamp", 1.7e9, "timestamp.tid", 10_000_000_001L);
        List<byte[]> parts = List.of(
                header("XGM", "msgpack", Map.of("metadata", meta)), MsgpackWriter.write(Map.of("data.pulseCount", 2L)),
                header("XGM", "array", Map.of("path", "data.intensityTD", "dtype", "float64", "shape", List.of(2L))),
                MsgpackWriter.littleEndian(new double[] {1.25, 2.5}));
        Train t = KaraboDecoder.decode(parts);
        assertThat(t.trainId()).isEqualTo(10_000_000_001L);
        assertThat(t.timestamp()).isEqualTo(1.7e9);
        assertThat(t.numbers(new Profile.Source("XGM", "data.intensityTD")).orElseThrow()).containsExactly(1.25, 2.5);
        assertThat(t.numbers(new Profile.Source("XGM", "data.pulseCount")).orElseThrow()).containsExactly(2);
    }

    @Test
    void protocol10IsOneMapWithMetadataInsideAndNumpyArrays() throws Exception {
        Map<String, Object> src = new LinkedHashMap<>();
        src.put("data.intensityTD", new double[] {3.0});
        src.put("metadata", Map.of("timestamp.tid", 42L));
        Train t = KaraboDecoder.decode(List.of(MsgpackWriter.write(Map.of("XGM", src))));
        assertThat(t.trainId()).isEqualTo(42);
        assertThat(t.data().get("XGM")).doesNotContainKey("metadata");
        assertThat(t.numbers(new Profile.Source("XGM", "data.intensityTD")).orElseThrow()).containsExactly(3.0);
    }

    @Test
    void oddPartsUnknownContentWrongSizesAndMissingTrainIdsAreRefused() {
        byte[] h = header("S", "msgpack", Map.of("metadata", Map.of("timestamp.tid", 1L)));
        assertThatThrownBy(() -> KaraboDecoder.decode(List.of(h, MsgpackWriter.write(Map.of()), h)))
                .hasMessageContaining("pairs");
        assertThatThrownBy(() -> KaraboDecoder.decode(List.of(header("S", "pickle", Map.of()), new byte[1])))
                .hasMessageContaining("unknown content");
        assertThatThrownBy(() -> KaraboDecoder.decode(List.of(h, MsgpackWriter.write(Map.of()),
                header("S", "array", Map.of("path", "a", "dtype", "uint16", "shape", List.of(3L))), new byte[4])))
                .hasMessageContaining("needs 6 bytes");
        assertThatThrownBy(() -> KaraboDecoder.decode(List.of(header("S", "msgpack", Map.of()),
                MsgpackWriter.write(Map.of())))).hasMessageContaining("timestamp.tid");
        assertThat(new NdArray("uint16", new int[] {2, 3}, new byte[12]).rows()).isEqualTo(2);
    }
}
