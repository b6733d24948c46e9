package io.xasstream.common.topics;

import io.xasstream.common.config.Setting;
import java.util.List;

/** Settings of the topic registry. */
public final class TopicSettings {
    /**
     * A prefix before every topic name. Several beamlines on one cluster each get their own topics (bl07.xas.spectra
     * ...), and a prefixed ACL per beamline keeps one beamline's principal out of another's spectra.
     */
    public static final Setting<String> PREFIX = Setting.string("topics.prefix", "",
            "Prefix of every topic name, e.g. 'bl07.' gives bl07.xas.spectra ... (one beamline's topics, guarded by a "
                    + "prefixed ACL); empty: the names as listed under Topics.");

    public static final List<Setting<?>> ALL = List.of(PREFIX);

    private TopicSettings() {
    }
}
