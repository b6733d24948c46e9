package io.xasstream.inference.m3d;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The measured development spectra (../shared/data/reference-spectra): their folder and labels.csv rows. */
final class DevelopmentSpectra {
    static final Path DATA = Path.of(System.getProperty("xasstream.shared.data", "../../../shared/data"),
            "reference-spectra");

    private DevelopmentSpectra() {
    }

    /** labels.csv, one map per row (column name to cell). */
    static List<Map<String, String>> labels() throws Exception {
        List<String> lines = Files.readAllLines(DATA.resolve("labels.csv"));
        String[] header = lines.get(0).split(",");
        return lines.subList(1, lines.size()).stream().map(line -> csv(header, line)).toList();
    }

    /** Mn3O4 (2.67, mixed valence) is right when either of its states is named. */
    static boolean oxidationRight(double label, double predicted) {
        return label == Math.rint(label) ? predicted == label
                : predicted == Math.floor(label) || predicted == Math.ceil(label);
    }

    private static Map<String, String> csv(String[] header, String line) {
        // labels.csv quotes one sample name that holds a comma
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            out.put(header[i], i < cells.size() ? cells.get(i) : "");
        }
        return out;
    }
}
