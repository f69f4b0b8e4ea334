package dev.hutch.dsl.units;

import java.time.Duration;

/**
 * Units on numbers for scripts: {@code 64.mb}, {@code 1.5.gb}, {@code 500.ms}, {@code 10.seconds}.
 * Registered as a Groovy extension module (META-INF/groovy/org.codehaus.groovy.runtime.ExtensionModule),
 * so they work in every script and in the shell without an import or a category block.
 *
 * <p>Sizes are plain byte counts ({@code long}), binary units as docker's {@code -m 64m}: a size
 * can be added, compared and passed wherever the spec takes bytes. Times are {@link Duration}s.
 */
public final class Units {
    private Units() {}

    public static long getB(Number self) { return Math.round(self.doubleValue()); }
    public static long getKb(Number self) { return bytes(self, 1L << 10); }
    public static long getMb(Number self) { return bytes(self, 1L << 20); }
    public static long getGb(Number self) { return bytes(self, 1L << 30); }

    public static Duration getMs(Number self) { return nanos(self, 1_000_000L); }
    public static Duration getMillis(Number self) { return nanos(self, 1_000_000L); }
    public static Duration getSecond(Number self) { return nanos(self, 1_000_000_000L); }
    public static Duration getSeconds(Number self) { return nanos(self, 1_000_000_000L); }
    public static Duration getMinute(Number self) { return nanos(self, 60_000_000_000L); }
    public static Duration getMinutes(Number self) { return nanos(self, 60_000_000_000L); }

    private static long bytes(Number n, long unit) { return Math.round(n.doubleValue() * unit); }

    private static Duration nanos(Number n, long unit) { return Duration.ofNanos(Math.round(n.doubleValue() * unit)); }
}
