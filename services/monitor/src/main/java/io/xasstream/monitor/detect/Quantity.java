package io.xasstream.monitor.detect;

/** The quantities followed per sample; {@link #label()} is the name used in alerts and window statistics. */
public enum Quantity {
    OXIDATION_STATE("oxidation_state", ""),
    COORDINATION_NUMBER("coordination_number", ""),
    FIRST_SHELL_PEAK("first_shell_peak", "Å");

    private final String label;
    private final String unit;

    Quantity(String label, String unit) {
        this.label = label;
        this.unit = unit;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }
}
