package io.xasstream.ingest.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start-document paths: nested maps, flat dotted keys, list indices, and the hints.dimensions shape. */
class PathsTest {
    private final Map<String, Object> start = Map.of(
            "XDI", Map.of("Element", Map.of("symbol", "Cu"), "Sample.name", "CuO pellet"),
            "proposal", Map.of("proposal_id", 301234L),
            "motors", List.of("dcm_energy", "xafs_x"),
            "hints", Map.of("dimensions", List.of(List.of(List.of("dcm_energy"), "primary"))));

    @Test
    void nestedFlatAndIndexedPathsResolve() {
        assertThat(Paths.find(start, "XDI.Element.symbol")).contains("Cu");
        assertThat(Paths.find(start, "XDI.Sample.name")).contains("CuO pellet");
        assertThat(Paths.find(start, "motors[1]")).contains("xafs_x");
        assertThat(Paths.firstText(start, List.of("data_session", "proposal.proposal_id"))).contains("301234");
        assertThat(Paths.find(start, "hints.dimensions").flatMap(Paths::firstString)).contains("dcm_energy");
        assertThat(Paths.find(start, "XDI.Element.edge")).isEmpty();
        assertThat(Paths.find(start, "motors[5]")).isEmpty();
    }
}
