package io.xasstream.monitor;

import io.xasstream.schema.monitor.StoredClassDetector;
import io.xasstream.schema.monitor.StoredLevel;
import io.xasstream.schema.monitor.StoredLevelShift;
import io.xasstream.schema.monitor.StoredSampleState;
import io.xasstream.schema.monitor.StoredStats;
import io.xasstream.schema.monitor.StoredWindow;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a sample state in the binary format of the release before the Avro schema: the write methods of its six
 * classes (SampleState, RollingWindow, RollingStats, ClassChangeDetector, LevelShiftDetector, Level at commit
 * 7904b56), field for field in their order, fed from the stored record instead of the live objects.
 */
final class LegacyStateWriter {
    private LegacyStateWriter() {
    }

    static byte[] write(StoredSampleState s) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(1);
            out.writeUTF(s.getKey());
            out.writeUTF(s.getExperimentId());
            out.writeUTF(s.getSampleId());
            out.writeUTF(s.getElement());
            out.writeLong(s.getSpectraSeen());
            out.writeLong(s.getOodFlagged());
            out.writeLong(s.getAlertCount());
            out.writeBoolean(s.getLastAlertId() != null);
            if (s.getLastAlertId() != null) {
                out.writeUTF(s.getLastAlertId());
            }
            out.writeLong(s.getUpdatedAtMicros());
            window(out, s.getCountWindow());
            window(out, s.getTimeWindow());
            classDetector(out, s.getOxidation());
            classDetector(out, s.getCoordination());
            levelShift(out, s.getFirstShell());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void window(DataOutputStream out, StoredWindow w) throws IOException {
        out.writeLong(w.getStartSeq());
        out.writeLong(w.getLatestMicros());
        out.writeInt(w.getStats().size());
        for (StoredStats s : w.getStats()) {
            out.writeLong(s.getCount());
            out.writeDouble(s.getShift());
            out.writeDouble(s.getSum());
            out.writeDouble(s.getSumSq());
            out.writeDouble(s.getMin());
            out.writeDouble(s.getMax());
            out.writeLong(s.getMinSeq());
            out.writeLong(s.getMaxSeq());
            out.writeBoolean(s.getStale());
        }
    }

    private static void level(DataOutputStream out, StoredLevel l) throws IOException {
        out.writeLong(l.getCount());
        out.writeDouble(l.getShift());
        out.writeDouble(l.getSw());
        out.writeDouble(l.getSwx());
        out.writeDouble(l.getSwxx());
        out.writeDouble(l.getSumSigma2());
    }

    private static void classDetector(DataOutputStream out, StoredClassDetector d) throws IOException {
        out.writeInt(d.getClasses().size());
        for (String c : d.getClasses()) {
            out.writeUTF(c);
        }
        out.writeInt(d.getBaseline());
        out.writeInt(d.getWarmCount());
        level(out, d.getBase());
        for (int c = 0; c < d.getClasses().size(); c++) {
            out.writeDouble(d.getWarmSum().get(c));
            out.writeDouble(d.getCusum().get(c));
            out.writeLong(d.getRunStart().get(c));
            level(out, d.getRun().get(c));
        }
    }

    private static void levelShift(DataOutputStream out, StoredLevelShift d) throws IOException {
        out.writeBoolean(d.getArmed());
        out.writeInt(d.getWarmX().size());
        for (int i = 0; i < d.getWarmX().size(); i++) {
            out.writeDouble(d.getWarmX().get(i));
            out.writeDouble(d.getWarmSigma().get(i));
        }
        level(out, d.getBase());
        out.writeDouble(d.getBaseScatter());
        out.writeDouble(d.getUp());
        out.writeDouble(d.getDown());
        out.writeLong(d.getUpStart());
        out.writeLong(d.getDownStart());
        out.writeInt(d.getRecentX().size());
        for (int i = 0; i < d.getRecentX().size(); i++) {
            out.writeDouble(d.getRecentX().get(i));
            out.writeDouble(d.getRecentSigma().get(i));
            out.writeLong(d.getRecentSeq().get(i));
        }
    }
}
