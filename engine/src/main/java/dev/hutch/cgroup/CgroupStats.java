package dev.hutch.cgroup;

/**
 * One reading of a container's cgroup counters. Unknown values are -1.
 *
 * @param cpuUsageNanos      total cpu time used
 * @param throttledPeriods   periods in which the quota ran out
 * @param throttledNanos     time the group was throttled
 * @param memoryUsage        bytes charged now (v1 usage minus inactive file cache, as docker shows)
 * @param memoryLimit        bytes, or -1 when unlimited
 * @param memoryMaxUsage     peak bytes, where the kernel keeps it
 * @param pids               processes now
 * @param pidsLimit          or -1 when unlimited
 * @param blkioReadBytes     bytes read from block devices
 * @param blkioWriteBytes    bytes written to block devices
 */
public record CgroupStats(long cpuUsageNanos, long periods, long throttledPeriods, long throttledNanos,
                          long memoryUsage, long memoryLimit, long memoryMaxUsage, long oomKills, long pids,
                          long pidsLimit, long blkioReadBytes, long blkioWriteBytes) {
}
