package io.xasstream.app.it;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.common.records.SpectrumRecords;
import io.xasstream.schema.spectrum.ExplicitEnergyAxis;
import io.xasstream.schema.spectrum.RegularEnergyAxis;
import io.xasstream.schema.spectrum.Spectrum;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * A compact Fe spectrum (mu only, on a regular 1 eV axis 7050..7250 eV, 201 points) interpolated from the
     * fixture: small messages for high-volume tests.
     */
    public static Spectrum feCompact(String id, String experiment, String sample) {
        Spectrum s = fe(id, experiment, sample);
        List<Double> e = ((ExplicitEnergyAxis) s.getEnergy()).getValuesEv();
        var c = s.getChannels();
        List<Double> mu = new ArrayList<>();
        int j = 0;
        for (int i = 0; i <= 200; i++) {
            double x = 7050 + i;
            while (e.get(j + 1) < x) {
                j++;
            }
            double m0 = Math.log(c.getI0().get(j) / c.getItrans().get(j));
            double m1 = Math.log(c.getI0().get(j + 1) / c.getItrans().get(j + 1));
            double t = (x - e.get(j)) / (e.get(j + 1) - e.get(j));
            mu.add(m0 + t * (m1 - m0));
        }
        s.setChannels(null);
        s.setMu(mu);
        s.setEnergy(new RegularEnergyAxis(7050.0, 1.0, 201));
        return s;
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
