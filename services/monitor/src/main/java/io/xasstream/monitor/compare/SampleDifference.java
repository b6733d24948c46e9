package io.xasstream.monitor.compare;

import java.util.List;

/**
 * How two result topics differ for one sample: results in each and matched by spectrumId, the spectra whose
 * predicted oxidation state / CN changed, and mean absolute differences (NaN where nothing could be compared).
 */
public record SampleDifference(String key, long onlyInA, long onlyInB, long matched,
                               List<String> oxidationChanged, List<String> cnChanged,
                               double meanAbsOxidationDelta, double meanAbsCnDelta, double meanAbsFirstShellDelta,
                               double meanAbsPdfDelta, long pdfCompared) {
}
