package io.xasstream.inference.loop;

/**
 * The poller to the committer: commit no batch of an epoch before {@code epoch}. {@code abortsSeen} acknowledges the
 * aborts the poller has rewound for; until it has seen them all, the committer commits nothing.
 */
record Fence(int epoch, int abortsSeen) {
}
