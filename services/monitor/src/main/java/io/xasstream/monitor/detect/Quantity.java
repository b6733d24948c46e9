package io.xasstream.monitor.detect;

import io.xasstream.common.records.ModelTasks;

/**
 * The quantities followed per sample; {@link #label()} is the name used in alerts and window statistics,
 * {@link #task()} the model task (a result's {@code oodByTask} key) that answers it.
 */
public enum Quantity {
    OXIDATION_STATE("oxidation_state", "", ModelTasks.OXIDATION),
    COORDINATION_NUMBER("coordination_number", "", ModelTasks.CN),
    FIRST_SHELL_PEAK("first_shell_peak", "Å", ModelTasks.PDF);

    private final String label;
    private final String unit;
    private final String task;

    Quantity(String label, String unit, String task) {
        this.label = label;
        this.unit = unit;
        this.task = task;
    }

    public String task() {
        return task;
    }

    public String label() {
        return label;
    }

    public String unit() {
        return unit;
    }
}
