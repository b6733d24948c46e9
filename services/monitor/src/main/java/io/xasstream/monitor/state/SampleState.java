package io.xasstream.monitor.state;

import io.xasstream.monitor.MonitorConfig;
import io.xasstream.monitor.detect.ClassChangeDetector;
import io.xasstream.monitor.detect.LevelShiftDetector;
import io.xasstream.monitor.detect.Quantity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Everything the monitor keeps per sample besides its history and alerts: counters, the two rolling windows and
 * the detectors. Stored as a versioned binary record in the (changelogged) samples store; the latest point is the
 * last entry of the history.
 */
public final class SampleState {
    private static final byte VERSION = 1;

    public String key;
    public String experimentId;
    public String sampleId;
    public String element = "";
    /** Results seen; also the sequence number the next result gets in the history. */
    public long spectraSeen;
    public long oodFlagged;
    public long alertCount;
    public String lastAlertId;
    public long updatedAtMicros;
    public final RollingWindow countWindow = new RollingWindow();
    public final RollingWindow timeWindow = new RollingWindow();
    public final ClassChangeDetector oxidation;
    public final ClassChangeDetector coordination;
    public final LevelShiftDetector firstShell;

    public SampleState(MonitorConfig c) {
        oxidation = new ClassChangeDetector(Quantity.OXIDATION_STATE, c.threshold(), c.drift(), c.probabilityFloor(),
                c.warmup());
        coordination = new ClassChangeDetector(Quantity.COORDINATION_NUMBER, c.threshold(), c.drift(),
                c.probabilityFloor(), c.warmup());
        firstShell = new LevelShiftDetector(Quantity.FIRST_SHELL_PEAK, c.threshold(), c.drift(), c.warmup());
    }

    public byte[] toBytes() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeUTF(key);
            out.writeUTF(experimentId);
            out.writeUTF(sampleId);
            out.writeUTF(element);
            out.writeLong(spectraSeen);
            out.writeLong(oodFlagged);
            out.writeLong(alertCount);
            out.writeBoolean(lastAlertId != null);
            if (lastAlertId != null) {
                out.writeUTF(lastAlertId);
            }
            out.writeLong(updatedAtMicros);
            countWindow.write(out);
            timeWindow.write(out);
            oxidation.write(out);
            coordination.write(out);
            firstShell.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SampleState fromBytes(byte[] data, MonitorConfig config) {
        SampleState s = new SampleState(config);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("sample state version " + version + " is not readable by this "
                        + "monitor (knows " + VERSION + ")");
            }
            s.key = in.readUTF();
            s.experimentId = in.readUTF();
            s.sampleId = in.readUTF();
            s.element = in.readUTF();
            s.spectraSeen = in.readLong();
            s.oodFlagged = in.readLong();
            s.alertCount = in.readLong();
            s.lastAlertId = in.readBoolean() ? in.readUTF() : null;
            s.updatedAtMicros = in.readLong();
            s.countWindow.read(in);
            s.timeWindow.read(in);
            s.oxidation.read(in);
            s.coordination.read(in);
            s.firstShell.read(in);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
