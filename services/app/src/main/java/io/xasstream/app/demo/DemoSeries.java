package io.xasstream.app.demo;

import io.xasstream.common.io.SpectrumFile;
import io.xasstream.common.io.SpectrumFileException;
import io.xasstream.common.io.SpectrumFileReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A synthetic operando series bundled with the application: {@code demo/<name>/series.csv} and its XDI files. */
public final class DemoSeries {
    private final String name;
    private final List<SpectrumFile> spectra;

    private DemoSeries(String name, List<SpectrumFile> spectra) {
        this.name = name;
        this.spectra = List.copyOf(spectra);
    }

    /** Loads the series from the classpath, in the order of its series.csv. */
    public static DemoSeries load(String name) {
        String base = "demo/" + name + "/";
        List<String> index = lines(base + "series.csv");
        if (index == null) {
            throw new IllegalArgumentException("no bundled demo series '" + name + "' (demo.series)");
        }
        List<String> columns = Arrays.asList(index.get(0).split(","));
        int fileCol = columns.indexOf("file");
        if (fileCol < 0) {
            throw new IllegalStateException(base + "series.csv has no 'file' column");
        }
        List<SpectrumFile> spectra = new ArrayList<>();
        for (String row : index.subList(1, index.size())) {
            if (row.isBlank()) {
                continue;
            }
            String file = row.split(",")[fileCol].trim();
            List<String> content = lines(base + file);
            if (content == null) {
                throw new IllegalStateException(base + "series.csv names a missing file " + file);
            }
            try {
                spectra.add(SpectrumFileReader.parse(file, content));
            } catch (SpectrumFileException e) {
                throw new IllegalStateException("bundled demo spectrum unreadable: " + e.getMessage(), e);
            }
        }
        return new DemoSeries(name, spectra);
    }

    public String name() {
        return name;
    }

    public List<SpectrumFile> spectra() {
        return spectra;
    }

    private static List<String> lines(String resource) {
        InputStream in = DemoSeries.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            return null;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
