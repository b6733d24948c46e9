package io.xasstream.core.edges;

import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AbsorptionEdgesTest {

    @Test
    void tabulatedValuesMatchXraydb() throws Exception {
        // spot checks against xraydb.xray_edge(elem, edge).energy (Elam, Ravel & Sieber)
        assertThat(AbsorptionEdges.energy("Fe", Edge.K)).isEqualTo(7112.0);
        assertThat(AbsorptionEdges.energy("Cu", Edge.K)).isEqualTo(8979.0);
        assertThat(AbsorptionEdges.energy("Mn", Edge.K)).isEqualTo(6539.0);
        assertThat(AbsorptionEdges.energy(20, Edge.K)).isEqualTo(4038.5);
        assertThat(AbsorptionEdges.energy(92, Edge.L3)).isEqualTo(17166.0);
        assertThat(AbsorptionEdges.energy("Fe", Edge.L3)).isEqualTo(706.8);
    }

    @Test
    void everyTabulatedElementHasOrderedEdges() {
        for (int z = AbsorptionEdges.Z_MIN; z <= AbsorptionEdges.Z_MAX; z++) {
            double k = AbsorptionEdges.energy(z, Edge.K);
            double l1 = AbsorptionEdges.energy(z, Edge.L1);
            double l2 = AbsorptionEdges.energy(z, Edge.L2);
            double l3 = AbsorptionEdges.energy(z, Edge.L3);
            assertThat(k).as("Z=%d", z).isGreaterThan(l1);
            assertThat(l1).as("Z=%d", z).isGreaterThan(l2);
            assertThat(l2).as("Z=%d", z).isGreaterThan(l3);
            if (z > AbsorptionEdges.Z_MIN) {
                assertThat(k).as("K rises with Z at %d", z).isGreaterThan(AbsorptionEdges.energy(z - 1, Edge.K));
            }
        }
    }

    @Test
    void symbolLookupIsCaseInsensitiveAndRoundTrips() {
        assertThat(AbsorptionEdges.atomicNumber("fe")).hasValue(26);
        assertThat(AbsorptionEdges.atomicNumber(" CU ")).hasValue(29);
        assertThat(AbsorptionEdges.atomicNumber("Xx")).isEmpty();
        assertThat(AbsorptionEdges.atomicNumber(null)).isEmpty();
        for (int z = 1; z <= 98; z++) {
            assertThat(AbsorptionEdges.atomicNumber(AbsorptionEdges.symbol(z))).hasValue(z);
        }
    }

    @Test
    void unknownOrUntabulatedElementsAreRejected() {
        assertThatThrownBy(() -> AbsorptionEdges.requireTabulated("K2"))
                .isInstanceOf(SpectrumRejectedException.class)
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.UNKNOWN_ELEMENT);
        assertThatThrownBy(() -> AbsorptionEdges.requireTabulated("Pu"))
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.UNKNOWN_ELEMENT);
    }

    @Test
    void edgeWindow() throws Exception {
        EdgeWindow w = new EdgeWindow(10, 20);
        AbsorptionEdges.checkEdgeWindow(26, Edge.K, 7102.0, w);
        AbsorptionEdges.checkEdgeWindow(26, Edge.K, 7132.0, w);
        assertThatThrownBy(() -> AbsorptionEdges.checkEdgeWindow(26, Edge.K, 7101.9, w))
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.EDGE_NOT_FOUND);
        assertThatThrownBy(() -> AbsorptionEdges.checkEdgeWindow(26, Edge.K, 7132.1, w))
                .extracting(t -> ((SpectrumRejectedException) t).reason()).isEqualTo(ReasonCode.EDGE_NOT_FOUND);
        assertThatThrownBy(() -> new EdgeWindow(-1, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void edgeParsesCaseInsensitively() {
        assertThat(Edge.parse("k")).isEqualTo(Edge.K);
        assertThat(Edge.parse(" l3 ")).isEqualTo(Edge.L3);
        assertThatThrownBy(() -> Edge.parse("M1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Edge.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
