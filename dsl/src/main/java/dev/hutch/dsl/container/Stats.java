package dev.hutch.dsl.container;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.spec.ByteSize;

import java.util.Locale;

/**
 * One reading of a container's cgroup counters, with names a script reads well
 * ({@code web.stats().memory}, {@code .cpu}, {@code .oomKills}) and a one-line {@code toString}.
 * Unknown values are -1, as in {@link CgroupStats}.
 */
public final class Stats {
    private final String name;
    private final CgroupStats raw;

    public Stats(String name, CgroupStats raw) {
        this.name = name;
        this.raw = raw;
    }

    /** The engine's record, every counter. */
    public CgroupStats getRaw() { return raw; }

    /** CPU time used so far, in nanoseconds. */
    public long getCpuNanos() { return raw.cpuUsageNanos(); }

    /** CPU time used so far, in seconds. */
    public double getCpuSeconds() { return raw.cpuUsageNanos() < 0 ? -1 : raw.cpuUsageNanos() / 1e9; }

    public long getThrottledPeriods() { return raw.throttledPeriods(); }

    public long getPeriods() { return raw.periods(); }

    /** Bytes in use now (without inactive file cache, as docker stats shows). */
    public long getMemory() { return raw.memoryUsage(); }

    public long getMemoryLimit() { return raw.memoryLimit(); }

    /** The highest memory use seen, where the kernel keeps it. */
    public long getMemoryPeak() { return raw.memoryMaxUsage(); }

    public long getOomKills() { return raw.oomKills(); }

    public long getPids() { return raw.pids(); }

    public long getPidsLimit() { return raw.pidsLimit(); }

    /**
     * CPUs used between two readings of the same container: 0.5 is half a CPU busy.
     * {@code def a = web.stats(); sleep 1000; def b = web.stats(); b.cpusSince(a, 1.seconds)}
     */
    public double cpusSince(Stats before, java.time.Duration wall) {
        return CgroupStats.cpuFraction(before.raw, raw, wall.toNanos());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: cpu %.2fs, memory %s / %s, pids %s / %s, oom kills %s", name,
                getCpuSeconds(), size(raw.memoryUsage()), raw.memoryLimit() < 0 ? "unlimited" : size(raw.memoryLimit()),
                count(raw.pids()), raw.pidsLimit() < 0 ? "unlimited" : count(raw.pidsLimit()), count(raw.oomKills()));
    }

    private static String size(long bytes) { return bytes < 0 ? "?" : ByteSize.format(bytes); }

    private static String count(long n) { return n < 0 ? "?" : Long.toString(n); }
}
