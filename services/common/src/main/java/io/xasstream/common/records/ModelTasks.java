package io.xasstream.common.records;

/**
 * The task names of the model manifest, also the keys of a result's {@code oodByTask}: one spelling for the inference
 * service that writes them and the monitor that reads them.
 */
public final class ModelTasks {
    public static final String PDF = "pdf";
    public static final String CN = "coordination_number";
    public static final String OXIDATION = "oxidation_state";

    private ModelTasks() {
    }
}
