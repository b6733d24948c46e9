package io.xasstream.ingest.tiled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xasstream.ingest.IngestSettings;
import io.xasstream.ingest.mapping.IngestRejection;
import org.junit.jupiter.api.Test;

/** Tiled table bodies: JSON columns and pandas-style CSV give the same columns; a broken body is refused. */
class TiledTablesTest {

    @Test
    void jsonAndCsvGiveTheSameColumns() throws Exception {
        var json = TiledTables.parse("{\"seq_num\":[1,2],\"dcm_energy\":[8979.0,8979.5],\"I0\":[1.5e5,null]}",
                IngestSettings.TableFormat.JSON);
        var csv = TiledTables.parse("seq_num,dcm_energy,I0\n1,8979.0,1.5e5\n2,8979.5,\n",
                IngestSettings.TableFormat.CSV);
        assertThat(csv).isEqualTo(json);
        assertThat(csv.get("I0")).containsExactly(1.5e5, null);
    }

    @Test
    void aBrokenTableIsTheRunsProblem() {
        assertThatThrownBy(() -> TiledTables.parse("[1,2,3]", IngestSettings.TableFormat.JSON))
                .hasMessageContaining("object of columns");
        assertThatThrownBy(() -> TiledTables.parse("a,b\n1,2,3\n", IngestSettings.TableFormat.CSV))
                .isInstanceOf(IngestRejection.class);
    }

    @Test
    void tiledsRawBracketLinksBecomeValidUris() {
        assertThat(TiledClient.uri("http://h:8000/api/v1/search/bmm/raw?page[offset]=2&page[limit]=2").getRawQuery())
                .isEqualTo("page%5Boffset%5D=2&page%5Blimit%5D=2");
    }
}
