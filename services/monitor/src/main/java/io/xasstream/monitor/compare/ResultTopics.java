package io.xasstream.monitor.compare;

import io.xasstream.common.topics.Topic;
import io.xasstream.common.topics.Topics;
import io.xasstream.schema.result.InferenceResult;

/** Result topics a user names on the command line, resolved through the topic registry. */
public final class ResultTopics {
    private ResultTopics() {
    }

    /**
     * {@code xas.results} (or {@code results}), {@code xas.results.shadow} (or {@code shadow}), or
     * {@code xas.results.<version>} of a replay; anything else is refused with the accepted forms.
     */
    public static Topic<String, InferenceResult> resolve(Topics topics, String name) {
        String n = name.trim();
        if (n.equals(topics.results.name()) || n.equals("results")) {
            return topics.results;
        }
        if (n.equals(topics.resultsShadow.name()) || n.equals("shadow")) {
            return topics.resultsShadow;
        }
        String prefix = topics.results.name() + ".";
        if (n.startsWith(prefix) && n.length() > prefix.length()) {
            return topics.resultsFor(n.substring(prefix.length()));
        }
        throw new IllegalArgumentException("'" + name + "' is not a results topic: use " + topics.results.name()
                + ", " + topics.resultsShadow.name() + " or " + prefix + "<version>");
    }
}
