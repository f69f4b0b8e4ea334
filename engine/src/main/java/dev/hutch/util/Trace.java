package dev.hutch.util;

import dev.hutch.config.CallerEnvironment;

/**
 * Start-up tracing for performance work: with {@code HUTCH_TRACE=1}, each mark prints the
 * milliseconds since the first mark and since the previous mark to this JVM's stderr. Off, it
 * costs one map look-up.
 *
 * <p>The engine's marks take the caller's environment, so in the engine service only a request
 * made with HUTCH_TRACE=1 is traced; its lines go to the service's stderr (its log), not the
 * caller's terminal, and the clock is process-wide (interleaved requests share it). The CLI's
 * {@link #mark(String)} reads this JVM's own environment, as before. Tracing is a developer's
 * tool; that is simple and enough.
 */
public final class Trace {
    private static final boolean PROCESS_ON = "1".equals(System.getenv("HUTCH_TRACE"));
    private static long last = -1, first = -1; // guarded by Trace.class

    private Trace() {}

    /** A mark when this JVM was started with HUTCH_TRACE=1. */
    public static void mark(String what) {
        if (PROCESS_ON) print(what);
    }

    /** A mark when the caller set HUTCH_TRACE=1. */
    public static void mark(CallerEnvironment caller, String what) {
        if (caller.trace()) print(what);
    }

    private static synchronized void print(String what) {
        long now = System.nanoTime();
        if (first < 0) first = now;
        System.err.println("[trace] " + (now - first) / 1_000_000 + " ms  +" + (last < 0 ? 0 : (now - last) / 100_000 / 10.0)
                + " ms  " + what);
        last = now;
    }
}
