/** Operando monitoring: per-sample state, rolling windows, change points and alerts, as a Kafka Streams topology. */
package io.xasstream.monitor;
