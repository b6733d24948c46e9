package io.xasstream.monitor.state;

import io.xasstream.schema.monitor.StoredClassDetector;
import io.xasstream.schema.monitor.StoredLevel;
import io.xasstream.schema.monitor.StoredLevelShift;
import io.xasstream.schema.monitor.StoredSampleState;
import io.xasstream.schema.monitor.StoredStats;
import io.xasstream.schema.monitor.StoredWindow;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the sample state as the release before the Avro schema stored it (a version byte, 1, then fields in the
 * order its six classes wrote them with {@link java.io.DataOutput}), into the current {@link StoredSampleState}.
 * Only read, never written: the migration of a changelog from that release (see {@link SampleStateCodec}).
 */
final class LegacySampleState {
    static final byte VERSION = 1;

    private LegacySampleState() {
    }

    /** True for the old format: its first byte is the version; Avro single-object bytes start with C3 01. */
    static boolean isLegacy(byte[] bytes) {
        return bytes != null && bytes.length > 0 && bytes[0] == VERSION;
    }

    static StoredSampleState read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readByte();
            StoredSampleState.Builder b = StoredSampleState.newBuilder()
                    .setKey(in.readUTF()).setExperimentId(in.readUTF()).setSampleId(in.readUTF())
                    .setElement(in.readUTF()).setSpectraSeen(in.readLong()).setOodFlagged(in.readLong())
                    .setAlertCount(in.readLong()).setLastAlertId(in.readBoolean() ? in.readUTF() : null)
                    .setUpdatedAtMicros(in.readLong());
            return b.setCountWindow(window(in)).setTimeWindow(window(in)).setOxidation(classDetector(in))
                    .setCoordination(classDetector(in)).setFirstShell(levelShift(in)).build();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable sample state of the previous release", e);
        }
    }

    private static StoredWindow window(DataInput in) throws IOException {
        long startSeq = in.readLong();
        long latestMicros = in.readLong();
        int m = in.readInt();
        List<StoredStats> stats = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            stats.add(new StoredStats(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readLong(), in.readLong(), in.readBoolean()));
        }
        return new StoredWindow(startSeq, latestMicros, stats);
    }

    private static StoredLevel level(DataInput in) throws IOException {
        return new StoredLevel(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                in.readDouble());
    }

    private static StoredClassDetector classDetector(DataInput in) throws IOException {
        int m = in.readInt();
        List<String> classes = new ArrayList<>(m);
        for (int c = 0; c < m; c++) {
            classes.add(in.readUTF());
        }
        int baseline = in.readInt();
        int warmCount = in.readInt();
        StoredLevel base = level(in);
        List<Double> warmSum = new ArrayList<>(m);
        List<Double> cusum = new ArrayList<>(m);
        List<Long> runStart = new ArrayList<>(m);
        List<StoredLevel> run = new ArrayList<>(m);
        for (int c = 0; c < m; c++) {
            warmSum.add(in.readDouble());
            cusum.add(in.readDouble());
            runStart.add(in.readLong());
            run.add(level(in));
        }
        return new StoredClassDetector(classes, baseline, warmCount, base, warmSum, cusum, runStart, run);
    }

    private static StoredLevelShift levelShift(DataInput in) throws IOException {
        boolean armed = in.readBoolean();
        int n = in.readInt();
        List<Double> warmX = new ArrayList<>(n);
        List<Double> warmSigma = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            warmX.add(in.readDouble());
            warmSigma.add(in.readDouble());
        }
        StoredLevel base = level(in);
        double baseScatter = in.readDouble();
        double up = in.readDouble();
        double down = in.readDouble();
        long upStart = in.readLong();
        long downStart = in.readLong();
        int m = in.readInt();
        List<Double> recentX = new ArrayList<>(m);
        List<Double> recentSigma = new ArrayList<>(m);
        List<Long> recentSeq = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            recentX.add(in.readDouble());
            recentSigma.add(in.readDouble());
            recentSeq.add(in.readLong());
        }
        return new StoredLevelShift(armed, warmX, warmSigma, base, baseScatter, up, down, upStart, downStart,
                recentX, recentSigma, recentSeq);
    }
}
