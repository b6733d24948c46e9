package io.xasstream.app.cli;

import io.xasstream.common.io.SpectrumFile;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses operando conditions given on the command line: name=value[unit], e.g. temperature=250C, potential=1.2V. */
final class Conditions {
    private static final Pattern VALUE = Pattern.compile("^\\s*([-+]?\\d+(?:\\.\\d*)?(?:[eE][-+]?\\d+)?)\\s*(.*)$");

    private Conditions() {
    }

    static Map<String, SpectrumFile.Condition> parse(Map<String, String> raw) {
        Map<String, SpectrumFile.Condition> out = new LinkedHashMap<>();
        raw.forEach((name, text) -> {
            Matcher m = VALUE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("condition " + name + "=" + text
                        + ": expected a number with an optional unit, e.g. 250C");
            }
            out.put(name, new SpectrumFile.Condition(Double.parseDouble(m.group(1)), m.group(2).trim()));
        });
        return out;
    }
}
