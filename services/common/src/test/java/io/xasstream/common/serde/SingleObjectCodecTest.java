package io.xasstream.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.common.testdata.Records;
import io.xasstream.core.ReasonCode;
import io.xasstream.schema.result.InferenceResult;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
    private final SingleObjectCodec<SpecificRecord> spectra = SingleObjectCodec.ofAny(
            List.of(Spectrum.class, SpectrumBatch.class));

    @Test
    void spectraAndBatchesShareOneTopicAndComeBackAsTheirOwnType() {
        Spectrum s = Records.spectrum("a");
        SpectrumBatch b = Records.batch("b", 4, 16);

        assertThat(spectra.decode("t", spectra.encode("t", s))).isEqualTo(s);
        SpecificRecord back = spectra.decode("t", spectra.encode("t", b));
        assertThat(back).isInstanceOf(SpectrumBatch.class).isEqualTo(b);
    }

    @Test
    void bytesAreExactlyAvrosSingleObjectEncoding() throws Exception {
        Spectrum s = Records.spectrum("a");
        SpectrumBatch b = Records.batch("b", 4, 16);
        // twice each: the per-thread buffer is reused and must not leak bytes from one record into the next
        for (int i = 0; i < 2; i++) {
            assertThat(spectra.encode("t", s)).isEqualTo(Spectrum.getEncoder().encode(s).array());
            assertThat(spectra.encode("t", b)).isEqualTo(SpectrumBatch.getEncoder().encode(b).array());
        }
    }

    @Test
    void everyMessageCarriesTheSchemaFingerprint() {
        byte[] bytes = spectra.encode("t", Records.spectrum("a"));
        long fp = SchemaNormalization.parsingFingerprint64(Spectrum.getClassSchema());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long read = 0;
        for (int i = 9; i >= 2; i--) {
            read = (read << 8) | (bytes[i] & 0xFF);
        }
        assertThat(read).isEqualTo(fp);
    }

    @Test
    void truncatedBodyIsDecodeFailed() {
        byte[] bytes = spectra.encode("t", Records.spectrum("a"));
        byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> spectra.decode("t", cut)).isInstanceOf(AvroDecodeException.class)
                .extracting(e -> ((AvroDecodeException) e).reason()).isEqualTo(ReasonCode.DECODE_FAILED);
    }

    @Test
    void garbageIsDecodeFailed() {
        assertThatThrownBy(() -> spectra.decode("t", "{\"json\": true}".getBytes()))
                .isInstanceOf(AvroDecodeException.class)
                .extracting(e -> ((AvroDecodeException) e).reason()).isEqualTo(ReasonCode.DECODE_FAILED);
    }

    @Test
    void aRecordOfAnotherTopicIsAnUnknownSchema() {
        SingleObjectCodec<InferenceResult> results = SingleObjectCodec.of(InferenceResult.class);
        byte[] spectrumBytes = spectra.encode("t", Records.spectrum("a"));
        assertThatThrownBy(() -> results.decode("t", spectrumBytes)).isInstanceOf(AvroDecodeException.class)
                .hasMessageContaining("fingerprint")
                .extracting(e -> ((AvroDecodeException) e).reason()).isEqualTo(ReasonCode.UNKNOWN_SCHEMA);
    }

    @Test
    void encodingAnUndeclaredTypeIsAProgrammingError() {
        SingleObjectCodec<SpecificRecord> onlyBatches = SingleObjectCodec.ofAny(List.of(SpectrumBatch.class));
        assertThatThrownBy(() -> onlyBatches.encode("xas.spectra", Records.spectrum("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("xas.spectra");
    }
}
