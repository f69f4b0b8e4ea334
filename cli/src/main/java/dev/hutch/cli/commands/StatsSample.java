package dev.hutch.cli.commands;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.state.ContainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of one container for {@code stats}: its cgroup counters, the bytes through its
 * network interfaces, and when. Two readings make a row (cpu % needs a time difference).
 */
record StatsSample(ContainerState container, CgroupStats cgroup, long netRx, long netTx, long nanos) {

    static StatsSample of(ContainerState s, CgroupStats cgroup, Path procRoot) {
        long[] net = netBytes(procRoot, s.pid());
        return new StatsSample(s, cgroup, net[0], net[1], System.nanoTime());
    }

    /**
     * Received and sent bytes over every interface but lo, from /proc/PID/net/dev of the container's
     * init (that file shows the network namespace of the process that reads through it). {0,0} if gone.
     */
    static long[] netBytes(Path procRoot, long pid) {
        if (pid <= 0) return new long[] {0, 0};
        try {
            return parseNetDev(Files.readString(procRoot.resolve(Long.toString(pid)).resolve("net/dev")));
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    /** "  eth0: 1234 12 0 0 0 0 0 0 5678 ..." → rx bytes (1st number), tx bytes (9th). */
    static long[] parseNetDev(String text) {
        long rx = 0, tx = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String iface = line.substring(0, colon).trim();
            if (iface.equals("lo")) continue;
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 9) continue;
            rx += Long.parseLong(f[0]);
            tx += Long.parseLong(f[8]);
        }
        return new long[] {rx, tx};
    }

    /** docker's {@code stats --format json} keys, from the previous reading and this one. */
    Map<String, Object> row(StatsSample before, long hostMemory, boolean fullId) {
        CgroupStats now = cgroup;
        double cpu = before == null ? 0 : CgroupStats.cpuFraction(before.cgroup, now, nanos - before.nanos);
        long limit = now.memoryLimit() > 0 ? Math.min(now.memoryLimit(), hostMemory > 0 ? hostMemory : Long.MAX_VALUE) : hostMemory;
        long usage = Math.max(0, now.memoryUsage());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("BlockIO", decimal(now.blkioReadBytes()) + " / " + decimal(now.blkioWriteBytes()));
        m.put("CPUPerc", String.format(Locale.ROOT, "%.2f%%", Math.max(0, cpu) * 100));
        m.put("Container", container.name());
        m.put("ID", fullId ? container.id() : container.shortId());
        m.put("MemPerc", limit > 0 ? String.format(Locale.ROOT, "%.2f%%", usage * 100.0 / limit) : "--");
        m.put("MemUsage", binary(usage) + " / " + (limit > 0 ? binary(limit) : "--"));
        m.put("Name", container.name());
        m.put("NetIO", decimal(netRx) + " / " + decimal(netTx));
        m.put("PIDs", Long.toString(Math.max(0, now.pids())));
        return m;
    }

    /** docker's HumanSize for I/O: decimal units, three significant digits ("1.23MB", "0B"). */
    static String decimal(long bytes) {
        if (bytes < 0) return "--";
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
        return trim3(v) + units[u];
    }

    /** docker's BytesSize for memory: binary units ("7.27MiB", "1.944GiB"). */
    static String binary(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        return trim3(v) + units[u];
    }

    /** Up to four significant digits without trailing zeros. */
    private static String trim3(double v) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
        return s;
    }
}
