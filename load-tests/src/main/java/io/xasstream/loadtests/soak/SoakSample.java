package io.xasstream.loadtests.soak;

/**
 * One interval of the soak (a minute unless --sample-seconds says otherwise).
 *
 * @param minutes         minutes since the load started, at the end of the interval
 * @param heapAfterGc     bytes of heap in use right after a full GC of the service's JVM
 * @param outstandingMax  most spectra sent and not yet answered at any second of the interval (the lag of the
 *                        whole path)
 * @param kafkaLagMax     the service consumer's records-lag-max at the end of the interval (NaN: not reported)
 * @param p99Ms           p99 latency of the interval's answers, from their due times
 * @param answers         answers read in the interval
 * @param errorLines      ERROR log lines of the services so far
 */
record SoakSample(double minutes, double heapAfterGc, long outstandingMax, double kafkaLagMax, double p99Ms, long answers,
                  long errorLines) {
}
