package io.xasstream.app.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileException;
import io.xasstream.common.io.SpectrumFileReader;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.edges.Edge;
import io.xasstream.core.preprocess.EnergyGrid;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.PreprocessedSpectrum;
import io.xasstream.core.preprocess.PreprocessingSpec;
import io.xasstream.core.preprocess.Preprocessor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Normalises spectrum files as Larch's pre_edge does and prints E0, edge step, parameters and normalised mu. */
@Command(name = "normalize", mixinStandardHelpOptions = true,
        description = "Normalise spectrum files as Larch 0.9.58 pre_edge does (E0 from the derivative maximum, "
                + "pre-edge line, post-edge polynomial, edge step, flattened mu) and print, per spectrum, E0, the edge "
                + "step, every parameter used, and normalised mu on the input energies and (with --grid) on a grid. "
                + "A file that cannot be read or normalised is reported with its reason; the others go on.")
public final class NormalizeCommand implements Callable<Integer> {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Spectrum files (XDI or columns).")
    List<Path> files;

    @Option(names = "--json", description = "One JSON object per spectrum (JSON lines).")
    boolean json;

    @Option(names = "--element", description = "Absorber, for files whose header lacks it (or to override it).")
    String element;

    @Option(names = "--edge", description = "Edge (default: the header's, else K).")
    String edge;

    @Option(names = "--e0", description = "Fixed E0 in eV instead of the derivative maximum.")
    Double e0;

    @Option(names = "--pre1", description = "Pre-edge fit start, eV relative to E0 (default: Larch's rule).")
    Double pre1;

    @Option(names = "--pre2", description = "Pre-edge fit end, eV relative to E0.")
    Double pre2;

    @Option(names = "--norm1", description = "Post-edge fit start, eV relative to E0.")
    Double norm1;

    @Option(names = "--norm2", description = "Post-edge fit end, eV relative to E0.")
    Double norm2;

    @Option(names = "--nnorm", description = "Post-edge polynomial degree 0..5 (default: from the range, as Larch).")
    Integer nnorm;

    @Option(names = "--nvict", defaultValue = "0", description = "Energy exponent of the pre-edge fit (default 0).")
    int nvict;

    @Option(names = "--calibrate", description = "Shift energies so that the reference-foil E0 (irefer channel) "
            + "lands on the tabulated edge before normalising.")
    boolean calibrate;

    @Option(names = "--grid", paramLabel = "START:STOP:STEP",
            description = "Also resample onto this grid (eV, relative to E0 unless --absolute), e.g. -20:80:0.5.")
    String grid;

    @Option(names = "--absolute", description = "Grid energies are absolute eV, not relative to E0.")
    boolean absolute;

    @Option(names = "--signal", defaultValue = "flat", description = "Signal resampled onto the grid: norm or flat "
            + "(default ${DEFAULT-VALUE}).")
    String signal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        PreprocessingSpec ppSpec = spec();
        for (Path file : files) {
            String asGiven = file.toString();
            try {
                SpectrumFile sf = SpectrumFileReader.read(file, asGiven);
                String el = element != null ? element : sf.element().orElseThrow(() -> new SpectrumRejectedException(
                        ReasonCode.UNKNOWN_ELEMENT, "no element in the header; give --element"));
                Edge ed = Edge.parse(edge != null ? edge : sf.edge().orElse("K"));
                double[] ref = calibrate ? sf.referenceMu() : null;
                if (calibrate && ref == null) {
                    throw new IllegalArgumentException("--calibrate: the file has no reference channel");
                }
                PreprocessedSpectrum p = Preprocessor.preprocess(sf.energy(), sf.mu(), ref, el, ed, ppSpec);
                print(out, asGiven, sf, el, ed, p);
            } catch (SpectrumFileException | IllegalArgumentException e) {
                failed++;
                error(out, asGiven, "UNREADABLE", e.getMessage());
            } catch (SpectrumRejectedException e) {
                failed++;
                error(out, asGiven, e.reason().name(), e.getMessage());
            }
        }
        out.flush();
        return failed > 0 ? 1 : 0;
    }

    private PreprocessingSpec spec() {
        NormalizationParams np = new NormalizationParams(e0, null, pre1, pre2, norm1, norm2, nnorm, nvict, true);
        PreprocessingSpec.Signal s = switch (signal.toLowerCase(Locale.ROOT)) {
            case "norm" -> PreprocessingSpec.Signal.NORM;
            case "flat" -> PreprocessingSpec.Signal.FLAT;
            default -> throw new IllegalArgumentException("--signal must be norm or flat");
        };
        EnergyGrid g = null;
        if (grid != null) {
            String[] parts = grid.split(":");
            if (parts.length != 3) {
                throw new IllegalArgumentException("--grid must be START:STOP:STEP");
            }
            double start = Double.parseDouble(parts[0]);
            double stop = Double.parseDouble(parts[1]);
            double step = Double.parseDouble(parts[2]);
            int n = (int) Math.floor((stop - start) / step + 1e-9) + 1;
            g = EnergyGrid.strict(EnergyGrid.linspace(start, start + step * (n - 1), n),
                    absolute ? EnergyGrid.Reference.ABSOLUTE : EnergyGrid.Reference.RELATIVE_TO_E0);
        }
        return PreprocessingSpec.defaults(g).withNormalization(np).withSignal(s);
    }

    private void print(PrintWriter out, String file, SpectrumFile sf, String el, Edge ed, PreprocessedSpectrum p) {
        NormalizationResult r = p.normalization();
        NormalizationParams u = r.resolved();
        if (!json) {
            out.printf(Locale.ROOT, "%s: %s %s e0=%.3f eV (%s) edgeStep=%.6g shift=%.3f eV pre=[%g, %g] "
                            + "norm=[%g, %g] nnorm=%d nvict=%d points=%d%s%n", file, el, ed, r.e0(), r.e0Source(),
                    r.edgeStep(), p.energyShift(), u.pre1(), u.pre2(), u.norm1(), u.norm2(), u.nnorm(), u.nvict(),
                    sf.points(), p.modelInput() == null ? "" : " grid=" + p.modelInput().length + " points");
            return;
        }
        ObjectNode o = JSON.objectNode();
        o.put("file", file);
        o.put("element", el);
        o.put("edge", ed.name());
        o.put("e0", r.e0());
        o.put("e0Source", r.e0Source().name());
        o.put("edgeStep", r.edgeStep());
        o.put("energyShift", p.energyShift());
        o.put("muSource", sf.muSource());
        ObjectNode params = o.putObject("parameters");
        params.put("pre1", u.pre1());
        params.put("pre2", u.pre2());
        params.put("norm1", u.norm1());
        params.put("norm2", u.norm2());
        params.put("nnorm", u.nnorm());
        params.put("nvict", u.nvict());
        params.put("makeFlat", u.makeFlat());
        params.put("algorithm", "larch-0.9.58 pre_edge");
        o.set("energy", array(shifted(sf.energy(), p.energyShift())));
        o.set("norm", array(r.norm()));
        o.set("flat", array(r.flat()));
        if (p.modelInput() != null) {
            ObjectNode g = o.putObject("grid");
            EnergyGrid eg = p.spec().grid();
            g.put("relativeToE0", eg.reference() == EnergyGrid.Reference.RELATIVE_TO_E0);
            g.put("signal", p.spec().signal().name().toLowerCase(Locale.ROOT));
            g.set("energy", array(eg.points()));
            g.set("values", array(p.modelInput()));
        }
        out.println(o);
    }

    private static double[] shifted(double[] e, double shift) {
        if (shift == 0) {
            return e;
        }
        double[] s = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            s[i] = e[i] + shift;
        }
        return s;
    }

    private void error(PrintWriter out, String file, String reason, String message) {
        if (json) {
            ObjectNode o = JSON.objectNode();
            o.put("file", file);
            o.put("error", reason);
            o.put("message", message);
            out.println(o);
        } else {
            spec.commandLine().getErr().println("error: " + file + ": " + reason + ": " + message);
        }
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = JSON.arrayNode(values.length);
        for (double v : values) {
            a.add(v);
        }
        return a;
    }
}
