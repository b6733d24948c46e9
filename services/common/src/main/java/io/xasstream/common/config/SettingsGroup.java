package io.xasstream.common.config;

import java.util.List;

/**
 * The settings one module declares, as {@code public static final Setting<...>} fields of a class that implements
 * this and is listed (one line) in its module's {@code META-INF/services/io.xasstream.common.config.SettingsGroup}.
 * {@link XasConfig} finds every group on the class path, so the {@code config} command and the README table list
 * them, and a setting that no group lists is caught by a test.
 */
public interface SettingsGroup {
    /** Where the group comes in the list of settings, after the common ones; smaller first. */
    int rank();

    /** The group's settings, in documentation order. */
    List<Setting<?>> settings();
}
