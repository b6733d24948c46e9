package io.xasstream.dashboard.json;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xasstream.common.records.SpectrumArrays;
import io.xasstream.common.topics.RecordKeys;
import io.xasstream.core.ReasonCode;
import io.xasstream.core.SpectrumRejectedException;
import io.xasstream.core.preprocess.EnergyGrid;
import io.xasstream.core.preprocess.MuFromChannels;
import io.xasstream.core.preprocess.NormalizationParams;
import io.xasstream.core.preprocess.NormalizationResult;
import io.xasstream.core.preprocess.Normalizer;
import io.xasstream.core.preprocess.Resampler;
import io.xasstream.core.preprocess.SpectrumValidator;
import io.xasstream.dashboard.feed.Item;
import io.xasstream.dashboard.feed.Kind;
import io.xasstream.schema.common.SourceIds;
import io.xasstream.schema.spectrum.RawChannels;
import io.xasstream.schema.spectrum.Spectrum;
import io.xasstream.schema.spectrum.SpectrumBatch;
import java.time.Instant;

/**
 * A spectrum record (or the last row of a batch) as the small JSON the spectra view draws: Larch-style normalised
 * and flattened mu (the core module's {@link Normalizer}) on whole eV of E − E0 from {@link #FROM_EV} to
 * {@link #TO_EV} (where the scan reaches), with E0 and the edge step. Raw spectra never reach a browser.
 */
public final class SpectrumItems {
    public static final double FROM_EV = -30;
    public static final double TO_EV = 90;

    private SpectrumItems() {
    }

    /** The item, or the reason this spectrum cannot be drawn (the fan-out counts it and goes on). */
    public static Item of(Object record) throws SpectrumRejectedException {
        if (record instanceof Spectrum s) {
            return draw(s.getSource(), s.getSpectrumId(), s.getAcquiredAt(), s.getElement(),
                    shifted(SpectrumArrays.energy(s.getEnergy()), s.getEnergyShiftEv()), mu(s), s.getE0Ev());
        }
        if (record instanceof SpectrumBatch b) {
            int last = b.getCount() - 1;
            if (last < 0 || b.getSpectrumIds().size() <= last || b.getAcquiredAt().size() <= last) {
                throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, "empty or inconsistent batch");
            }
            double[] energy = shifted(SpectrumArrays.energy(b.getEnergy()), b.getEnergyShiftEv());
            return draw(b.getSource(), b.getSpectrumIds().get(last), b.getAcquiredAt().get(last), b.getElement(),
                    energy, lastRowMu(b, last, energy.length), b.getE0Ev());
        }
        throw new SpectrumRejectedException(ReasonCode.UNKNOWN_SCHEMA, "not a spectrum: " + record);
    }

    private static Item draw(SourceIds source, String id, Instant acquiredAt, String element, double[] energy,
                             double[] mu, Double e0) throws SpectrumRejectedException {
        if (mu.length != energy.length) {
            throw new SpectrumRejectedException(ReasonCode.LENGTH_MISMATCH, mu.length + " mu values for "
                    + energy.length + " energies");
        }
        SpectrumValidator.validate(energy, mu, SpectrumValidator.DEFAULT_MIN_POINTS);
        NormalizationResult n = Normalizer.normalize(energy, mu, NormalizationParams.LARCH_DEFAULTS.withE0(e0));
        double lo = Math.max(FROM_EV, Math.ceil(energy[0] - n.e0()));
        double hi = Math.min(TO_EV, Math.floor(energy[energy.length - 1] - n.e0()));
        if (!(hi > lo)) {
            throw new SpectrumRejectedException(ReasonCode.GRID_NOT_COVERED, "no energies around E0");
        }
        int points = (int) (hi - lo) + 1;
        double[] grid = EnergyGrid.linspace(lo, hi, points);
        double[] y = Resampler.resample(energy, n.flat() != null ? n.flat() : n.norm(), n.e0(),
                EnergyGrid.strict(grid, EnergyGrid.Reference.RELATIVE_TO_E0));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("spectrumId", id).put("t", RecordItems.millis(acquiredAt)).put("element", element)
                .put("e0Ev", round(n.e0(), 100)).put("edgeStep", round(n.edgeStep(), 1e5))
                .put("from", lo).put("to", hi);
        ArrayNode ys = o.putArray("y");
        for (double v : y) {
            ys.add(round(v, 1e4));
        }
        return new Item(RecordKeys.of(source.getExperimentId(), source.getSampleId()), Kind.SPECTRUM, o.toString());
    }

    private static double[] mu(Spectrum s) throws SpectrumRejectedException {
        if (s.getMu() != null) {
            return SpectrumArrays.doubles(s.getMu());
        }
        RawChannels c = s.getChannels();
        if (c == null || c.getI0() == null) {
            throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "neither mu nor raw channels");
        }
        double[] i0 = SpectrumArrays.doubles(c.getI0());
        if (c.getItrans() != null) {
            return MuFromChannels.transmission(i0, SpectrumArrays.doubles(c.getItrans()));
        }
        if (c.getIfluor() != null) {
            return MuFromChannels.fluorescence(i0, SpectrumArrays.doubles(c.getIfluor()));
        }
        throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "channels carry neither itrans nor ifluor");
    }

    private static double[] lastRowMu(SpectrumBatch b, int row, int points) throws SpectrumRejectedException {
        int rows = b.getCount();
        double[] mu = SpectrumArrays.row(b.getMu(), row, rows, points);
        if (mu != null) {
            return mu;
        }
        double[] i0 = SpectrumArrays.row(b.getI0(), row, rows, points);
        double[] it = SpectrumArrays.row(b.getItrans(), row, rows, points);
        if (i0 != null && it != null) {
            return MuFromChannels.transmission(i0, it);
        }
        double[] fl = SpectrumArrays.row(b.getIfluor(), row, rows, points);
        if (i0 != null && fl != null) {
            return MuFromChannels.fluorescence(i0, fl);
        }
        throw new SpectrumRejectedException(ReasonCode.MISSING_FIELD, "batch has neither mu nor i0 with itrans/ifluor");
    }

    private static double[] shifted(double[] energy, Double shift) {
        if (shift != null && shift != 0) {
            for (int i = 0; i < energy.length; i++) {
                energy[i] += shift;
            }
        }
        return energy;
    }

    private static double round(double v, double scale) {
        return Double.isFinite(v) ? Math.round(v * scale) / scale : 0;
    }
}
