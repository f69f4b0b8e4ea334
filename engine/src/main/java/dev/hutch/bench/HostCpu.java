package dev.hutch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The host's cpu time from the first line of /proc/stat, to tell how busy the rest of the machine
 * was while a quota was measured (a shared 2-core VM cannot give 1.5 cpus to a container while a
 * build runs next to it). Values are in USER_HZ ticks.
 */
record HostCpu(long busyTicks, long totalTicks) {

    static HostCpu read() {
        try {
            return parse(Files.readString(Path.of("/proc/stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** "cpu  user nice system idle iowait irq softirq steal ..." */
    static HostCpu parse(String procStat) {
        String first = procStat.lines().findFirst().orElse("");
        String[] f = first.trim().split("\\s+");
        long total = 0, idle = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) idle += v; // idle, iowait
        }
        return new HostCpu(total - idle, total);
    }

    /** Busy cpus between two readings (ticks per second of wall time ≈ cpus busy), or NaN. */
    static double busyCpus(HostCpu before, HostCpu after) {
        if (before == null || after == null) return Double.NaN;
        long total = after.totalTicks - before.totalTicks;
        if (total <= 0) return Double.NaN;
        int cpus = dev.hutch.util.HostInfo.cpus();
        return (double) (after.busyTicks - before.busyTicks) / total * cpus;
    }
}
