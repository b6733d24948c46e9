package io.xasstream.common.io;

import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.preprocess.MuFromChannels;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads XDI 1.0/1.1 files and plain column text (two or more numeric columns, '#' comments, a few
 * non-numeric header lines as FDMNES writes) into a {@link SpectrumFile}; mu is taken or derived as beamlines do.
 */
public final class SpectrumFileReader {
    private static final Pattern XDI_FIRST = Pattern.compile("^#\\s*XDI/\\d+\\.\\d+.*");
    private static final Pattern HEADER_FIELD = Pattern.compile("^#\\s*([A-Za-z_][\\w]*)\\.([\\w.-]+)\\s*:\\s*(.*)$");
    private static final Pattern COLUMN_TAG = Pattern.compile("(?i)column\\.(\\d+)");
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*([-+]?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?)\\s*(.*)$");

    /** Header fields (lower case) that name the absorber / edge, in order of preference. */
    private static final List<String> ELEMENT_KEYS = List.of("element.symbol", "scan.element", "sample.element");
    private static final List<String> EDGE_KEYS = List.of("element.edge", "scan.edge");
    /** Header namespaces whose numeric fields are operando conditions. */
    private static final List<String> CONDITION_KEYS = List.of("sample.temperature", "sample.pressure",
            "sample.potential", "sample.voltage", "sample.current", "sample.ph", "sample.gas_flow", "sample.flow");

    private SpectrumFileReader() {
    }

    /** Reads a file; {@code asGiven} is the name to report (the path as the user typed it). */
    public static SpectrumFile read(Path path, String asGiven) throws SpectrumFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            try {
                lines = Files.readAllLines(path, StandardCharsets.ISO_8859_1);
            } catch (IOException e2) {
                throw new SpectrumFileException(asGiven, "cannot read: " + e2.getMessage(), e2);
            }
        } catch (IOException e) {
            throw new SpectrumFileException(asGiven, "cannot read: " + e, e);
        }
        return parse(asGiven, lines);
    }

    public static SpectrumFile read(Path path) throws SpectrumFileException {
        return read(path, path.toString());
    }

    /** Parses the lines of a file named {@code source}. */
    public static SpectrumFile parse(String source, List<String> lines) throws SpectrumFileException {
        boolean xdi = !lines.isEmpty() && XDI_FIRST.matcher(lines.get(0).trim()).matches();
        Map<String, String> header = new LinkedHashMap<>();
        Map<Integer, String> columnTags = new LinkedHashMap<>();
        List<String> lastLabelLine = null;
        List<double[]> rows = new ArrayList<>();
        int firstDataLine = -1;
        int width = -1;

        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#") || line.startsWith(";") || line.startsWith("!")) {
                // trailing comments after data are harmless
                List<String> labels = rows.isEmpty() ? headerLine(line, header, columnTags) : null;
                lastLabelLine = labels != null ? labels : lastLabelLine;
                continue;
            }
            String[] tokens = line.split("[\\s,]+");
            double[] row = numbers(tokens);
            if (row == null) {
                if (rows.isEmpty() && !xdi) {
                    lastLabelLine = List.of(tokens); // FDMNES-style non-numeric header line
                    continue;
                }
                throw new SpectrumFileException(source, lineNo, "expected " + (width > 0 ? width + " " : "")
                        + "numbers, found '" + abbreviate(line) + "'");
            }
            if (width < 0) {
                width = row.length;
                firstDataLine = lineNo;
            }
            checkWidth(source, lineNo, row.length, width, firstDataLine);
            rows.add(row);
        }
        if (rows.isEmpty()) {
            throw new SpectrumFileException(source, 0, "no data rows");
        }
        if (xdi && columnTags.isEmpty() && lastLabelLine == null) {
            throw new SpectrumFileException(source, 0, "XDI file without Column.N fields or a column label line");
        }

        List<String> names = columnNames(width, columnTags, lastLabelLine);
        double[][] columns = new double[width][rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < width; c++) {
                columns[c][r] = rows.get(r)[c];
            }
        }
        return assemble(source, header, names, columns, columnTags);
    }

    /** mu as the file gives it, or derived from its channels as beamlines do; where it came from; the mode. */
    private record MuColumn(double[] mu, String source, SpectrumFile.Mode mode) {
    }

    private static MuColumn mu(String source, List<String> names, double[][] columns, Map<String, Integer> index,
                               Map<String, double[]> channels, int energyCol) throws SpectrumFileException {
        Optional<String> direct = ColumnNames.MU_DIRECT.stream().filter(index::containsKey).findFirst();
        if (direct.isPresent()) {
            return new MuColumn(columns[index.get(direct.get())], names.get(index.get(direct.get())),
                    direct.get().contains("fluor") ? SpectrumFile.Mode.FLUORESCENCE
                            : direct.get().contains("trans") ? SpectrumFile.Mode.TRANSMISSION
                            : SpectrumFile.Mode.UNKNOWN);
        }
        if (channels.containsKey(ColumnNames.I0) && channels.containsKey(ColumnNames.ITRANS)) {
            return new MuColumn(derive(source, () -> MuFromChannels.transmission(channels.get(ColumnNames.I0),
                    channels.get(ColumnNames.ITRANS))), "ln(" + names.get(index.get(ColumnNames.I0)) + "/"
                    + names.get(index.get(ColumnNames.ITRANS)) + ")", SpectrumFile.Mode.TRANSMISSION);
        }
        if (channels.containsKey(ColumnNames.I0) && channels.containsKey(ColumnNames.IFLUOR)) {
            return new MuColumn(derive(source, () -> MuFromChannels.fluorescence(channels.get(ColumnNames.I0),
                    channels.get(ColumnNames.IFLUOR))), names.get(index.get(ColumnNames.IFLUOR)) + "/"
                    + names.get(index.get(ColumnNames.I0)), SpectrumFile.Mode.FLUORESCENCE);
        }
        if (names.size() >= 2 && !index.containsKey(ColumnNames.I0)) {
            int muCol = energyCol == 0 ? 1 : 0;
            return new MuColumn(columns[muCol], "column " + (muCol + 1)
                    + (names.get(muCol).isEmpty() ? "" : " (" + names.get(muCol) + ")"), SpectrumFile.Mode.UNKNOWN);
        }
        throw new SpectrumFileException(source, 0, "no mu column (mutrans, mufluor, normtrans ...) and no "
                + "i0 with itrans/i1 or ifluor among columns " + names);
    }

    /** Every data row has the width of the first one, which holds at least energy and mu. */
    private static void checkWidth(String source, int lineNo, int length, int width, int firstDataLine)
            throws SpectrumFileException {
        if (width < 2) {
            throw new SpectrumFileException(source, lineNo, "a spectrum needs at least two columns "
                    + "(energy and mu), found one");
        }
        if (length != width) {
            throw new SpectrumFileException(source, lineNo, "expected " + width + " columns as on line "
                    + firstDataLine + ", found " + length);
        }
    }

    /** A comment line before the data: a header field (kept), or else possibly the column labels (returned). */
    private static List<String> headerLine(String line, Map<String, String> header,
                                           Map<Integer, String> columnTags) {
        Matcher m = HEADER_FIELD.matcher(line);
        if (m.matches()) {
            String key = m.group(1) + "." + m.group(2);
            String value = stripPvSuffix(m.group(3));
            header.putIfAbsent(key, value);
            Matcher c = COLUMN_TAG.matcher(key);
            if (c.matches()) {
                columnTags.put(Integer.parseInt(c.group(1)), value);
            }
            return null;
        }
        String text = line.replaceFirst("^[#;!]+", "").trim();
        if (!text.isEmpty() && !text.startsWith("///") && !text.startsWith("---")
                && !XDI_FIRST.matcher(line).matches()) {
            return List.of(text.split("\\s+"));
        }
        return null;
    }

    private static SpectrumFile assemble(String source, Map<String, String> header, List<String> names,
                                         double[][] columns, Map<Integer, String> columnTags)
            throws SpectrumFileException {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            index.putIfAbsent(ColumnNames.canonical(names.get(c)), c);
        }
        int energyCol = index.getOrDefault(ColumnNames.ENERGY, 0);
        double[] energy = columns[energyCol].clone();
        String energyUnit = unitOf(columnTags.get(energyCol + 1));
        if ("kev".equals(energyUnit) || (energyUnit.isEmpty() && max(energy) < 200)) {
            for (int i = 0; i < energy.length; i++) {
                energy[i] *= 1000.0; // energies in keV: everything downstream works in eV
            }
        }

        Map<String, double[]> channels = new LinkedHashMap<>();
        for (String ch : List.of(ColumnNames.I0, ColumnNames.ITRANS, ColumnNames.IFLUOR, ColumnNames.IREFER)) {
            if (index.containsKey(ch)) {
                channels.put(ch, columns[index.get(ch)]);
            }
        }

        MuColumn muColumn = mu(source, names, columns, index, channels, energyCol);
        double[] mu = muColumn.mu();
        String muSource = muColumn.source();
        SpectrumFile.Mode mode = muColumn.mode();

        double[] referenceMu = null;
        if (index.containsKey(ColumnNames.MUREFER)) {
            referenceMu = columns[index.get(ColumnNames.MUREFER)];
        } else if (channels.containsKey(ColumnNames.ITRANS) && channels.containsKey(ColumnNames.IREFER)) {
            // The reference foil sits behind the sample: its mu is ln(itrans/irefer).
            referenceMu = derive(source, () -> MuFromChannels.transmission(channels.get(ColumnNames.ITRANS),
                    channels.get(ColumnNames.IREFER)));
        }

        Map<String, String> lower = new LinkedHashMap<>();
        header.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
        Optional<String> element = first(lower, ELEMENT_KEYS).map(SpectrumFileReader::elementSymbol);
        Optional<String> edge = first(lower, EDGE_KEYS).map(s -> s.trim().toUpperCase(Locale.ROOT));
        Optional<String> sample = first(lower, List.of("sample.name"));
        Optional<Instant> start = first(lower, List.of("scan.start_time")).flatMap(SpectrumFileReader::time);

        Map<String, SpectrumFile.Condition> conditions = new LinkedHashMap<>();
        header.forEach((k, v) -> {
            String key = k.toLowerCase(Locale.ROOT);
            if (CONDITION_KEYS.contains(key) || key.startsWith("operando.")) {
                Matcher m = LEADING_NUMBER.matcher(v);
                if (m.matches()) {
                    conditions.put(key.substring(key.indexOf('.') + 1),
                            new SpectrumFile.Condition(Double.parseDouble(m.group(1)), m.group(2).trim()));
                }
            }
        });
        return new SpectrumFile(source, energy, mu, muSource, channels, referenceMu, element, edge, sample, mode,
                start, conditions, header);
    }

    private interface Derivation {
        double[] apply() throws SpectrumRejectedException;
    }

    private static double[] derive(String source, Derivation d) throws SpectrumFileException {
        try {
            return d.apply();
        } catch (SpectrumRejectedException e) {
            throw new SpectrumFileException(source, 0, "cannot derive mu: " + e.reason() + ": " + e.getMessage());
        }
    }

    private static List<String> columnNames(int width, Map<Integer, String> tags, List<String> labelLine) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            String tag = tags.get(c + 1);
            if (tag != null) {
                names.add(tag.trim().split("\\s+")[0]);
            } else if (labelLine != null && labelLine.size() == width) {
                names.add(labelLine.get(c));
            } else {
                names.add(c == 0 ? "energy" : "");
            }
        }
        return names;
    }

    /** "energy eV || 13BMA:E:Energy.VAL" → "energy eV": XDI 1.1 appends the EPICS PV after '||'. */
    private static String stripPvSuffix(String value) {
        int bars = value.indexOf("||");
        return (bars >= 0 ? value.substring(0, bars) : value).trim();
    }

    private static String unitOf(String columnTag) {
        if (columnTag == null) {
            return "";
        }
        String[] parts = columnTag.trim().split("\\s+");
        return parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "";
    }

    private static String elementSymbol(String raw) {
        String s = raw.trim();
        if (s.isEmpty()) {
            return s;
        }
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }

    private static Optional<String> first(Map<String, String> header, List<String> keys) {
        return keys.stream().map(header::get).filter(v -> v != null && !v.isBlank()).findFirst();
    }

    private static Optional<Instant> time(String raw) {
        String s = raw.trim();
        try {
            return Optional.of(OffsetDateTime.parse(s).toInstant());
        } catch (DateTimeParseException e) {
            // fall through: most beamlines write local time without an offset
        }
        for (DateTimeFormatter f : List.of(DateTimeFormatter.ISO_LOCAL_DATE_TIME,
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]"))) {
            try {
                return Optional.of(LocalDateTime.parse(s, f).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // try the next layout
            }
        }
        return Optional.empty();
    }

    private static double[] numbers(String[] tokens) {
        double[] out = new double[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            try {
                out[i] = Double.parseDouble(tokens[i]);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
