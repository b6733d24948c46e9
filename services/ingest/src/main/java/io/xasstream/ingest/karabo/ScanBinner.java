package io.xasstream.ingest.karabo;

import io.xasstream.core.ReasonCode;
import io.xasstream.ingest.mapping.IngestRejection;
import io.xasstream.ingest.mapping.Paths;
import io.xasstream.ingest.mapping.Scan;
import io.xasstream.ingest.msgpack.MsgpackException;
import io.xasstream.ingest.profile.Profile;
import io.xasstream.schema.common.ConditionValue;
import io.xasstream.schema.common.MeasurementMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scan mode: per-pulse intensities over a monochromator scan, binned by energy. Each train adds its pulses to the
 * bin of the mono energy (i0 from the XGM, the signal from the scan detector); when the scan id changes (or
 * disappears) the scan is over and becomes one {@link Scan} with one point per bin: the mean energy, summed i0 and
 * summed signal, so mu = ln(Σi0/Σitrans) weighs every pulse by its flux.
 *
 * <p>Owned by the one thread that reads the bridge; not thread-safe.
 */
public final class ScanBinner {
    private static final class Bin {
        double energySum;
        long trains;
        double i0;
        double signal;
    }

    private final Profile.Karabo profile;
    private final double scale;
    private String scanId;
    private Instant started;
    private final TreeMap<Long, Bin> bins = new TreeMap<>();
    private final Map<String, double[]> conditionSums = new LinkedHashMap<>();
    private long firstTrain = -1;
    private long lastTrain = -1;

    public ScanBinner(Profile.Karabo profile) {
        this.profile = profile;
        this.scale = profile.energyUnit().equals("keV") ? 1000.0 : 1.0;
    }

    /**
     * Adds a train.
     *
     * @return the previous scan when this train ended it
     * @throws IngestRejection for a train of a running scan that lacks the mono energy, XGM or detector values
     */
    public Optional<Scan> add(Train train) throws IngestRejection {
        String id = train.value(profile.scanId()).flatMap(Paths::text).orElse(null);
        Optional<Scan> finished = Optional.empty();
        if (scanId != null && !scanId.equals(id)) {
            finished = Optional.of(finish());
        }
        if (id == null) {
            return finished;
        }
        try {
            double[] energy = train.numbers(profile.monoEnergy()).orElseThrow(() -> missing(train, "mono energy "
                    + profile.monoEnergy()));
            double[] signal = train.numbers(profile.scanDetector()).orElseThrow(() -> missing(train, "detector "
                    + profile.scanDetector()));
            double[] xgm = train.numbers(profile.xgm()).orElseThrow(() -> missing(train, "XGM " + profile.xgm()));
            if (xgm.length < signal.length) {
                throw new IngestRejection(ReasonCode.MISSING_COLUMN, "train " + train.trainId() + ": XGM has "
                        + xgm.length + " values for " + signal.length + " pulses");
            }
            if (scanId == null) {
                scanId = id;
                started = KaraboTime.instant(train.timestamp());
                firstTrain = train.trainId();
            }
            double e = energy[0] * scale;
            Bin bin = bins.computeIfAbsent(Math.round(e / profile.binEv()), k -> new Bin());
            bin.energySum += e;
            bin.trains++;
            for (int p = 0; p < signal.length; p++) {
                bin.i0 += xgm[p];
                bin.signal += signal[p];
            }
            for (Map.Entry<String, ConditionValue> c : SpectrometerMapper.conditions(train, profile).entrySet()) {
                double[] s = conditionSums.computeIfAbsent(c.getKey(), k -> new double[2]);
                s[0] += c.getValue().getValue();
                s[1]++;
            }
            lastTrain = train.trainId();
        } catch (MsgpackException e) {
            throw new IngestRejection(ReasonCode.UNDECODABLE_DOCUMENT, "train " + train.trainId() + ": "
                    + e.getMessage());
        }
        return finished;
    }

    /** The scan being binned, if any (its id). */
    public Optional<String> open() {
        return Optional.ofNullable(scanId);
    }

    /** Ends the open scan now and returns it (the caller decides whether an unfinished scan is usable). */
    public Scan finish() {
        int n = bins.size();
        double[] energy = new double[n];
        double[] i0 = new double[n];
        double[] signal = new double[n];
        int k = 0;
        for (Bin b : bins.values()) {
            energy[k] = b.energySum / b.trains;
            i0[k] = b.i0;
            signal[k] = b.signal;
            k++;
        }
        boolean fluor = profile.signal().equals("ifluor");
        Map<String, ConditionValue> conditions = new LinkedHashMap<>();
        conditionSums.forEach((name, s) -> conditions.put(name, new ConditionValue(s[0] / s[1], "")));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "karabo:" + profile.monoEnergy().source());
        metadata.put("mode", "scan");
        metadata.put("firstTrainId", Long.toString(firstTrain));
        metadata.put("lastTrainId", Long.toString(lastTrain));
        Scan scan = new Scan(scanId, profile.facility(), profile.beamline(), profile.experiment(), profile.sample(),
                profile.element(), profile.edge(), fluor ? MeasurementMode.FLUORESCENCE : MeasurementMode.TRANSMISSION,
                started, energy, i0, fluor ? null : signal, fluor ? signal : null, null, conditions, metadata);
        scanId = null;
        bins.clear();
        conditionSums.clear();
        firstTrain = -1;
        lastTrain = -1;
        return scan;
    }

    private static IngestRejection missing(Train train, String what) {
        return new IngestRejection(ReasonCode.MISSING_COLUMN, "train " + train.trainId() + " has no " + what);
    }
}
