package io.xasstream.app.it;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Valid spectra for integration tests, built from a committed fixture. */
public final class Spectra {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));
    private static SpectrumFile fe;

    private Spectra() {
    }

    public static Path repo(String relative) {
        return ROOT.resolve(relative);
    }

    /** The Fe2O3 fixture (raw i0/i1 channels) as a beamline would publish it. */
    public static synchronized Spectrum fe(String id, String experiment, String sample) {
        if (fe == null) {
            try {
                fe = SpectrumFileReader.read(repo("services/common/src/test/resources/fixtures/spectra/fe2o3_i0_i1.xdi"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return SpectrumRecords.fromFile(fe, new SpectrumRecords.Context(id, "TestLS", "BL1", experiment, sample, null,
                null, null, Instant.now().truncatedTo(ChronoUnit.MICROS), Map.of(), Map.of()));
    }
}
