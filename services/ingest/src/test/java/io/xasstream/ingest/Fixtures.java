package io.xasstream.ingest;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.ingest.bluesky.SimulatedRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Spectra the tests render as source data: the repository's own simulated operando series (bundled with the
 * demo, so every build has them) and, for the shared checks, the measured reference spectra of ../shared/data.
 */
public final class Fixtures {
    private static final Path ROOT = Path.of(System.getProperty("xasstream.repo.root", "../.."));

    private Fixtures() {
    }

    /** The first {@code n} spectra of a bundled demo series (FEFF-simulated, raw i0/itrans/irefer channels). */
    public static List<SpectrumFile> demo(String series, int n) {
        Path dir = ROOT.resolve("services/app/src/main/resources/demo").resolve(series);
        return read(dir, n);
    }

    /** Every measured spectrum in ../shared/data/reference-spectra. */
    public static List<SpectrumFile> reference() {
        Path dir = Path.of(System.getProperty("xasstream.shared.data", "../../../shared/data"), "reference-spectra");
        return read(dir, Integer.MAX_VALUE);
    }

    private static List<SpectrumFile> read(Path dir, int n) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".xdi")).sorted().limit(n).map(p -> {
                try {
                    return SpectrumFileReader.read(p, p.getFileName().toString());
                } catch (Exception e) {
                    throw new IllegalStateException(p + ": " + e.getMessage(), e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The detector channels of a fixture: its own i0/itrans, or (mu only) a flux curve and I0·exp(-mu). */
    public record Channels(double[] energy, double[] i0, double[] it, double[] ir) {
    }

    public static Channels channels(SpectrumFile sf) {
        var ch = sf.channels();
        if (ch.containsKey("i0") && ch.containsKey("itrans")) {
            return new Channels(sf.energy(), ch.get("i0"), ch.get("itrans"), ch.get("irefer"));
        }
        double[] i0 = new double[sf.points()];
        double[] it = new double[sf.points()];
        for (int i = 0; i < i0.length; i++) {
            i0[i] = 1.0e5 * (1 + 0.05 * Math.sin(i / 7.0));
            it[i] = i0[i] * Math.exp(-sf.mu()[i]);
        }
        return new Channels(sf.energy(), i0, it, null);
    }

    /** A BMM-shaped run of the fixture: element, edge and sample from its header, temperature when it has one. */
    public static SimulatedRun run(SpectrumFile sf, String uid) {
        Channels c = channels(sf);
        SimulatedRun run = SimulatedRun.of(uid, c.energy(), c.i0(), c.it()).reference(c.ir())
                .absorber(sf.element().orElse("Fe"), sf.edge().orElse("K"))
                .sample(sf.sampleName().orElse(sf.source()));
        SpectrumFile.Condition t = sf.conditions().get("temperature");
        if (t != null) {
            run.temperature(t.value());
        }
        return run;
    }
}
