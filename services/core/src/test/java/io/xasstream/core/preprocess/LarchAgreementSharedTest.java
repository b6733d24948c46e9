package io.xasstream.core.preprocess;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Agreement with Larch on the shared reference spectra (../shared/data/reference-spectra). CI generates the vectors
 * first (they are never committed):
 * {@code /usr/bin/python3 models/training/xasprep/larch_reference.py --in ../shared/data/reference-spectra
 * --out services/core/target/larch-shared}. Missing vectors fail the test.
 */
@Tag("shared")
class LarchAgreementSharedTest {

    @Test
    void allSharedReferenceSpectraAgreeWithLarch() throws Exception {
        Path root = Path.of(System.getProperty("xasstream.repo.root", "."));
        Path dir = root.resolve("services/core/target/larch-shared");
        assertThat(dir).as("Larch vectors for the shared spectra (run larch_reference.py first, see class doc)")
                .isDirectory();
        List<LarchVector> vectors = LarchVector.readAll(dir);
        int expected = countSpectra(Path.of(System.getProperty("xasstream.shared.data", root + "/../shared/data"))
                .resolve("reference-spectra"));
        if (expected > 0) {
            assertThat(vectors).as("one vector per shared spectrum").hasSize(expected);
        }
        LarchAgreement.checkAll("shared reference spectra", vectors);
    }

    private static int countSpectra(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.toString().endsWith(".xdi")).count();
        }
    }
}
