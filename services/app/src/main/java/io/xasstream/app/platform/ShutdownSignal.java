package io.xasstream.app.platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C / SIGTERM for a long-running command: the JVM's shutdown hook releases {@link #await}, then waits (up to
 * a minute) until the command has closed its services, so that a stop is always clean.
 */
public final class ShutdownSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    public ShutdownSignal() {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "xasstream-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits for a stop signal, or at most {@code seconds} when positive. */
    public void await(double seconds) throws InterruptedException {
        if (seconds > 0) {
            stop.await((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
    }

    /** True once a stop was requested (Ctrl-C / SIGTERM). */
    public boolean requested() {
        return stop.getCount() == 0;
    }

    /** The command has stopped its services: lets the JVM exit (or, without a signal, removes the hook). */
    @Override
    public void close() {
        stopped.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running and has just been released
        }
    }
}
