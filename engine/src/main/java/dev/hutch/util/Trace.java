package dev.hutch.util;

/**
 * Start-up tracing for performance work: with {@code HUTCH_TRACE=1}, each {@link #mark} prints the
 * milliseconds since the first mark and since the previous mark to stderr. Off, it costs one
 * boolean test.
 */
public final class Trace {
    private static final boolean ON = "1".equals(System.getenv("HUTCH_TRACE"));
    private static long last = -1, first = -1;

    private Trace() {}

    public static void mark(String what) {
        if (!ON) return;
        long now = System.nanoTime();
        if (first < 0) first = now;
        System.err.println("[trace] " + (now - first) / 1_000_000 + " ms  +" + (last < 0 ? 0 : (now - last) / 100_000 / 10.0)
                + " ms  " + what);
        last = now;
    }
}
