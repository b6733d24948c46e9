package io.xasstream.monitor.state;

import io.xasstream.monitor.MonitorConfig;
import io.xasstream.monitor.detect.ClassChangeDetector;
import io.xasstream.monitor.detect.LevelShiftDetector;
import io.xasstream.monitor.detect.Quantity;
import io.xasstream.schema.monitor.StoredSampleState;

/**
 * Everything the monitor keeps per sample besides its history and alerts: counters, the two rolling windows and
 * the detectors. Stored as {@link StoredSampleState} (Avro, see {@link SampleStateCodec}) in the changelogged samples
 * store; the latest point is the last entry of the history.
 */
public final class SampleState {
    private final String key;
    private final String experimentId;
    private final String sampleId;
    private String element = "";
    private long spectraSeen;
    private long oodFlagged;
    private long alertCount;
    private String lastAlertId;
    private long updatedAtMicros;
    private final RollingWindow countWindow = new RollingWindow();
    private final RollingWindow timeWindow = new RollingWindow();
    private final ClassChangeDetector oxidation;
    private final ClassChangeDetector coordination;
    private final LevelShiftDetector firstShell;

    private SampleState(String key, String experimentId, String sampleId, MonitorConfig c) {
        this.key = key;
        this.experimentId = experimentId;
        this.sampleId = sampleId;
        oxidation = new ClassChangeDetector(Quantity.OXIDATION_STATE, c.threshold(), c.drift(), c.probabilityFloor(),
                c.warmup());
        coordination = new ClassChangeDetector(Quantity.COORDINATION_NUMBER, c.threshold(), c.drift(),
                c.probabilityFloor(), c.warmup());
        firstShell = new LevelShiftDetector(Quantity.FIRST_SHELL_PEAK, c.threshold(), c.drift(), c.warmup());
    }

    /** The state of a sample seen for the first time. */
    public static SampleState start(String key, String experimentId, String sampleId, MonitorConfig config) {
        return new SampleState(key, experimentId, sampleId, config);
    }

    /** A state as stored; the detectors take the configuration's thresholds and warm-up. */
    public static SampleState restore(StoredSampleState s, MonitorConfig config) {
        SampleState state = new SampleState(s.getKey(), s.getExperimentId(), s.getSampleId(), config);
        state.element = s.getElement();
        state.spectraSeen = s.getSpectraSeen();
        state.oodFlagged = s.getOodFlagged();
        state.alertCount = s.getAlertCount();
        state.lastAlertId = s.getLastAlertId();
        state.updatedAtMicros = s.getUpdatedAtMicros();
        state.countWindow.restore(s.getCountWindow());
        state.timeWindow.restore(s.getTimeWindow());
        state.oxidation.restore(s.getOxidation());
        state.coordination.restore(s.getCoordination());
        state.firstShell.restore(s.getFirstShell());
        return state;
    }

    public StoredSampleState toStored() {
        return StoredSampleState.newBuilder().setKey(key).setExperimentId(experimentId).setSampleId(sampleId)
                .setElement(element).setSpectraSeen(spectraSeen).setOodFlagged(oodFlagged).setAlertCount(alertCount)
                .setLastAlertId(lastAlertId).setUpdatedAtMicros(updatedAtMicros)
                .setCountWindow(countWindow.toStored()).setTimeWindow(timeWindow.toStored())
                .setOxidation(oxidation.toStored()).setCoordination(coordination.toStored())
                .setFirstShell(firstShell.toStored()).build();
    }

    /**
     * One more result of the sample.
     *
     * @return its sequence number in the sample's history
     */
    public long observe(String resultElement, boolean flaggedOod) {
        element = resultElement;
        if (flaggedOod) {
            oodFlagged++;
        }
        return spectraSeen++;
    }

    /**
     * One more alert of the sample.
     *
     * @return its number (1 for the first)
     */
    public long alerted(String alertId) {
        lastAlertId = alertId;
        return ++alertCount;
    }

    /** The wall-clock time of this update, microseconds since the epoch. */
    public void updatedAt(long micros) {
        updatedAtMicros = micros;
    }

    public String key() {
        return key;
    }

    public String experimentId() {
        return experimentId;
    }

    public String sampleId() {
        return sampleId;
    }

    public String element() {
        return element;
    }

    /** Results seen; also the sequence number the next result gets in the history. */
    public long spectraSeen() {
        return spectraSeen;
    }

    public long oodFlagged() {
        return oodFlagged;
    }

    public long alertCount() {
        return alertCount;
    }

    /** The id of the latest alert, null before the first. */
    public String lastAlertId() {
        return lastAlertId;
    }

    public long updatedAtMicros() {
        return updatedAtMicros;
    }

    public RollingWindow countWindow() {
        return countWindow;
    }

    public RollingWindow timeWindow() {
        return timeWindow;
    }

    public ClassChangeDetector oxidation() {
        return oxidation;
    }

    public ClassChangeDetector coordination() {
        return coordination;
    }

    public LevelShiftDetector firstShell() {
        return firstShell;
    }
}
