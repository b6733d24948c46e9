package io.xasstream.common.io;

/** A spectrum file that cannot be read; the message names the file and, where it applies, the line. */
public class SpectrumFileException extends Exception {
    public SpectrumFileException(String file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    public SpectrumFileException(String file, String message, Throwable cause) {
        super(file + ": " + message, cause);
    }
}
