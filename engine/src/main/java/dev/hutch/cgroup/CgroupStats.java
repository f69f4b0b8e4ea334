package dev.hutch.cgroup;

import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One reading of a container's cgroup counters. Unknown values are -1.
 *
 * @param cpuUsageNanos      total cpu time used
 * @param periods            enforcement periods that elapsed while the group was runnable
 * @param throttledPeriods   periods in which the quota ran out
 * @param throttledNanos     time the group was throttled
 * @param memoryUsage        bytes charged now minus inactive file cache, as docker shows
 * @param memoryLimit        bytes, or -1 when unlimited
 * @param memoryMaxUsage     peak bytes, where the kernel keeps it
 * @param oomKills           processes killed by the OOM killer
 * @param pids               processes now
 * @param pidsLimit          or -1 when unlimited
 * @param blkioReadBytes     bytes read from block devices
 * @param blkioWriteBytes    bytes written to block devices
 */
public record CgroupStats(long cpuUsageNanos, long periods, long throttledPeriods, long throttledNanos,
                          long memoryUsage, long memoryLimit, long memoryMaxUsage, long oomKills, long pids,
                          long pidsLimit, long blkioReadBytes, long blkioWriteBytes) implements JsonWritable {

    /**
     * CPU use between two readings as a fraction of one CPU (1.0 = one CPU busy all the time;
     * docker stats prints this times 100 as CPU %). -1 if either reading lacks cpu usage.
     */
    public static double cpuFraction(CgroupStats before, CgroupStats after, long wallNanos) {
        if (before.cpuUsageNanos < 0 || after.cpuUsageNanos < 0 || wallNanos <= 0) return -1;
        return (double) (after.cpuUsageNanos - before.cpuUsageNanos) / wallNanos;
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuUsageNanos", cpuUsageNanos);
        m.put("periods", periods);
        m.put("throttledPeriods", throttledPeriods);
        m.put("throttledNanos", throttledNanos);
        m.put("memoryUsage", memoryUsage);
        m.put("memoryLimit", memoryLimit);
        m.put("memoryMaxUsage", memoryMaxUsage);
        m.put("oomKills", oomKills);
        m.put("pids", pids);
        m.put("pidsLimit", pidsLimit);
        m.put("blkioReadBytes", blkioReadBytes);
        m.put("blkioWriteBytes", blkioWriteBytes);
        return m;
    }

    public static Builder builder() { return new Builder(); }

    /** Filled in by each controller in turn; everything starts unknown. */
    public static final class Builder {
        private long cpuUsageNanos = -1, periods = -1, throttledPeriods = -1, throttledNanos = -1;
        private long memoryUsage = -1, memoryLimit = -1, memoryMaxUsage = -1, oomKills = -1;
        private long pids = -1, pidsLimit = -1, blkioReadBytes = -1, blkioWriteBytes = -1;

        public Builder cpuUsageNanos(long v) { cpuUsageNanos = v; return this; }
        public Builder periods(long v) { periods = v; return this; }
        public Builder throttledPeriods(long v) { throttledPeriods = v; return this; }
        public Builder throttledNanos(long v) { throttledNanos = v; return this; }
        public Builder memoryUsage(long v) { memoryUsage = v; return this; }
        public Builder memoryLimit(long v) { memoryLimit = v; return this; }
        public Builder memoryMaxUsage(long v) { memoryMaxUsage = v; return this; }
        public Builder oomKills(long v) { oomKills = v; return this; }
        public Builder pids(long v) { pids = v; return this; }
        public Builder pidsLimit(long v) { pidsLimit = v; return this; }
        public Builder blkioReadBytes(long v) { blkioReadBytes = v; return this; }
        public Builder blkioWriteBytes(long v) { blkioWriteBytes = v; return this; }

        /** cpu usage, unless another controller (v1 cpuacct) already gave it. */
        public boolean hasCpuUsage() { return cpuUsageNanos >= 0; }

        public CgroupStats build() {
            return new CgroupStats(cpuUsageNanos, periods, throttledPeriods, throttledNanos, memoryUsage, memoryLimit,
                    memoryMaxUsage, oomKills, pids, pidsLimit, blkioReadBytes, blkioWriteBytes);
        }
    }
}
