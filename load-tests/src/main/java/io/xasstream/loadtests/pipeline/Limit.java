package io.xasstream.loadtests.pipeline;

/**
 * The pipeline's honest limit on shared cores: ONNX Runtime and Kafka take turns on the same CPUs, so their times
 * per spectrum add up — {@code 1 / (1/onnx + 1/kafka)} spectra/s, each measured alone in the same run.
 *
 * @param onnx  raw ONNX Runtime, spectra/s (every model of the element, batches of inference.max-batch)
 * @param kafka the Kafka floor, spectra/s (consume and answer in transactions, nothing else)
 */
public record Limit(double onnx, double kafka) {
    public Limit {
        if (!(onnx > 0) || !(kafka > 0)) {
            throw new IllegalArgumentException("both rates must be positive: onnx " + onnx + ", kafka " + kafka);
        }
    }

    public double perSecond() {
        return 1 / (1 / onnx + 1 / kafka);
    }

    /** The pipeline's throughput as a fraction of the limit (the goal: at least 0.85). */
    public double ratio(double pipeline) {
        return pipeline / perSecond();
    }
}
