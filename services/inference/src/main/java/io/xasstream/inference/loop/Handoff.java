package io.xasstream.inference.loop;

/** What travels down the pipeline, poller → inferrer → committer: a batch, or the end of the stream. */
sealed interface Handoff permits PolledBatch, InferredBatch, Handoff.End {
    /** No more batches: the stage forwards it and stops. */
    End END = new End();

    /** The end-of-stream marker. */
    final class End implements Handoff {
        private End() {
        }
    }
}
