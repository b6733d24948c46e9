package io.xasstream.dashboard.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xasstream.common.serde.AvroTrust;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.dashboard.TestResults;
import io.xasstream.dashboard.feed.Item;
import io.xasstream.dashboard.feed.Kind;
import io.xasstream.schema.common.AbsorptionEdge;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ItemsTest {
    static {
        AvroTrust.install(); // builders fill defaults of our own record types
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double EDGE = 8979;
    private static final int POINTS = 501;

    /** An arctan edge of height 1.2 at 8979 eV on a sloping background, 8800 ... 9300 eV. */
    private static double mu(double e) {
        return 0.3 - 1e-4 * (e - 8800) + 1.2 * (0.5 + Math.atan((e - EDGE) / 1.5) / Math.PI);
    }

    private static SourceIds source() {
        return SourceIds.newBuilder().setFacility("f").setBeamline("b").setExperimentId("exp").setSampleId("s")
                .setScanId(null).build();
    }

    @Test
    void aResultKeepsTheSchemaFieldNamesAndGainsItsAcquisitionTime() throws Exception {
        Item item = RecordItems.result(TestResults.result("exp", "s", 3, true));
        JsonNode j = JSON.readTree(item.json());
        assertThat(item.key()).isEqualTo("exp/s");
        assertThat(item.kind()).isEqualTo(Kind.RESULT);
        assertThat(j.get("t").asLong()).isEqualTo(TestResults.START.plusSeconds(3).toEpochMilli());
        assertThat(j.get("oxidationState").get("expectedValue").asDouble()).isEqualTo(1.6);
        assertThat(j.get("oodByTask").get("oxidation_state").get("flagged").asBoolean()).isTrue();
        assertThat(j.get("conditions").get("temperature").get("value").asDouble()).isEqualTo(28.0);
        assertThat(j.get("pdf").get("r")).hasSize(32);
        assertThat(j.has("timings")).isFalse();
        assertThat(j.get("preprocessing").has("parameters")).isFalse();
    }

    @Test
    void aSpectrumIsNormalisedOntoWholeElectronVoltsAroundE0() throws Exception {
        List<Double> mu = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            mu.add(mu(8800 + i));
        }
        Spectrum s = Spectrum.newBuilder().setSpectrumId("sp-1").setSource(source())
                .setAcquiredAt(TestResults.START).setElement("Cu").setEdge(AbsorptionEdge.K)
                .setEnergy(new RegularEnergyAxis(8800.0, 1.0, POINTS)).setMu(mu).build();
        JsonNode j = JSON.readTree(SpectrumItems.of(s).json());
        assertThat(j.get("e0Ev").asDouble()).isCloseTo(EDGE, offset(1.0));
        assertThat(j.get("edgeStep").asDouble()).isCloseTo(1.2, offset(0.05));
        assertThat(j.get("from").asDouble()).isEqualTo(SpectrumItems.FROM_EV);
        assertThat(j.get("to").asDouble()).isEqualTo(SpectrumItems.TO_EV);
        JsonNode y = j.get("y");
        assertThat(y).hasSize((int) (SpectrumItems.TO_EV - SpectrumItems.FROM_EV) + 1);
        assertThat(y.get(0).asDouble()).isCloseTo(0.0, offset(0.05));
        assertThat(y.get(y.size() - 1).asDouble()).isCloseTo(1.0, offset(0.05));
    }

    @Test
    void ofABatchOnlyTheLastRowIsDrawn() throws Exception {
        int rows = 3;
        ByteBuffer matrix = ByteBuffer.allocate(rows * POINTS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < POINTS; i++) {
                matrix.putFloat((float) (r == rows - 1 ? mu(8800 + i) : 0.5));
            }
        }
        matrix.flip();
        SpectrumBatch b = SpectrumBatch.newBuilder().setBatchId("b1").setSource(source()).setElement("Cu")
                .setEdge(AbsorptionEdge.K).setEnergy(new RegularEnergyAxis(8800.0, 1.0, POINTS)).setCount(rows)
                .setSpectrumIds(List.of("r0", "r1", "r2"))
                .setAcquiredAt(List.of(TestResults.START, TestResults.START, TestResults.START.plusSeconds(1)))
                .setMu(matrix).build();
        JsonNode j = JSON.readTree(SpectrumItems.of(b).json());
        assertThat(j.get("spectrumId").asText()).isEqualTo("r2");
        assertThat(j.get("edgeStep").asDouble()).isCloseTo(1.2, offset(0.05));
    }

    @Test
    void aSpectrumWithoutAnEdgeIsRefusedNotDrawn() {
        List<Double> flat = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            flat.add(1.0);
        }
        Spectrum s = Spectrum.newBuilder().setSpectrumId("sp-2").setSource(source())
                .setAcquiredAt(TestResults.START).setElement("Cu").setEdge(AbsorptionEdge.K)
                .setEnergy(new RegularEnergyAxis(8800.0, 1.0, POINTS)).setMu(flat).build();
        assertThatThrownBy(() -> SpectrumItems.of(s)).isInstanceOf(SpectrumRejectedException.class);
    }
}
