package io.xasstream.ingest.bluesky;

/**
 * Keys of the open-runs store. Everything of one run lives under {@code r/<run uid>/}, so that a prefix scan finds
 * it and deleting it closes the run:
 * <pre>
 *  r/&lt;run&gt;/s                       start document (message bytes)
 *  r/&lt;run&gt;/d/&lt;descriptor&gt;          descriptor document
 *  r/&lt;run&gt;/e/&lt;descriptor&gt;/&lt;seq&gt;    event document (seq zero-padded: the scan comes back in order)
 *  r/&lt;run&gt;/p/&lt;descriptor&gt;/&lt;seq&gt;    event_page document (seq = its first seq_num)
 *  r/&lt;run&gt;/n                       points of the profile's stream so far (live mode)
 *  r/&lt;run&gt;/o                       the run's entry in the open-runs index ({@link OpenRuns}, keys t/ and c/)
 *  d/&lt;descriptor&gt;                  "&lt;run&gt;|&lt;stream name&gt;": events name their descriptor, not their run
 * </pre>
 */
final class RunKeys {
    private RunKeys() {
    }

    static String run(String run) {
        return "r/" + run + "/";
    }

    static String start(String run) {
        return run(run) + "s";
    }

    static String descriptor(String run, String descriptor) {
        return run(run) + "d/" + descriptor;
    }

    static String event(String run, String descriptor, long seq) {
        return run(run) + "e/" + descriptor + "/" + String.format("%012d", seq);
    }

    static String page(String run, String descriptor, long firstSeq) {
        return run(run) + "p/" + descriptor + "/" + String.format("%012d", firstSeq);
    }

    static String points(String run) {
        return run(run) + "n";
    }

    static String descriptorIndex(String descriptor) {
        return "d/" + descriptor;
    }
}
