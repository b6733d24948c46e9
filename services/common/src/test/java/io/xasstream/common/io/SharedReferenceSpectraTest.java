package io.xasstream.common.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every measured spectrum in ../shared/data/reference-spectra is read: mu finite, one value per energy. */
@Tag("shared")
class SharedReferenceSpectraTest {

    static Path dir() {
        return Path.of(System.getProperty("xasstream.shared.data", "../../../shared/data"), "reference-spectra");
    }

    @Test
    void everyReferenceSpectrumIsReadWithFiniteMuOfTheRightLength() throws Exception {
        Map<String, String[]> labels = labels();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir())) {
            files = s.filter(p -> p.toString().endsWith(".xdi")).sorted().toList();
        }
        assertThat(files).hasSize(labels.size());
        for (Path file : files) {
            SpectrumFile sf = SpectrumFileReader.read(file, file.getFileName().toString());
            String[] label = labels.get(file.getFileName().toString());
            assertThat(sf.mu()).as(file + " length").hasSize(sf.energy().length);
            assertThat(sf.points()).as(file + " points as labelled").isEqualTo(Integer.parseInt(label[8]));
            for (int i = 0; i < sf.mu().length; i++) {
                assertThat(Double.isFinite(sf.mu()[i])).as(file + " mu[" + i + "] finite").isTrue();
            }
            assertThat(sf.element()).as(file + " element").contains(label[1]);
            assertThat(sf.edge()).as(file + " edge").contains(label[2]);
            System.out.printf("%-20s %5d points, mu from %-16s E %.1f..%.1f eV%s%n", file.getFileName(), sf.points(),
                    sf.muSource(), sf.energy()[0], sf.energy()[sf.points() - 1],
                    sf.referenceMu() != null ? ", reference channel" : "");
        }
    }

    private static Map<String, String[]> labels() throws IOException {
        Map<String, String[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(dir().resolve("labels.csv"));
        for (String line : lines.subList(1, lines.size())) {
            // formula/sample fields may contain quoted commas: only the first 3 and the last field are used here
            String[] f = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            out.put(f[0], f);
        }
        return out;
    }
}
