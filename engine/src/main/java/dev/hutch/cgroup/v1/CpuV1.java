package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.ResourceValidator;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** v1 {@code cpu}: shares, CFS period and quota; throttling counters from cpu.stat. */
public final class CpuV1 implements Controller {
    static final String SHARES = "cpu.shares", PERIOD = "cpu.cfs_period_us", QUOTA = "cpu.cfs_quota_us", STAT = "cpu.stat";

    @Override public String name() { return "cpu"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.cpuShares() != null) writes.add(CgroupWrite.of(dir, SHARES, r.cpuShares(), "--cpu-shares", r.cpuShares()));
        if (r.cpus() != null) {
            // --cpus is docker's NanoCPUs: quota = cpus x period, period 100 ms unless given.
            long period = r.cpuPeriod() != null ? r.cpuPeriod() : ResourceValidator.DEFAULT_CPU_PERIOD;
            long quota = Math.round(r.cpus() * period);
            // Period before quota: the kernel checks the quota against the period in force.
            writes.add(CgroupWrite.of(dir, PERIOD, period, "--cpus", r.cpus()));
            writes.add(CgroupWrite.of(dir, QUOTA, quota, "--cpus", r.cpus()));
            return writes;
        }
        if (r.cpuPeriod() != null) writes.add(CgroupWrite.of(dir, PERIOD, r.cpuPeriod(), "--cpu-period", r.cpuPeriod()));
        if (r.cpuQuota() != null) writes.add(CgroupWrite.of(dir, QUOTA, r.cpuQuota(), "--cpu-quota", r.cpuQuota()));
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        Map<String, Long> s = dir.flatKeyed(STAT);
        if (s.containsKey("nr_periods")) stats.periods(s.get("nr_periods"));
        if (s.containsKey("nr_throttled")) stats.throttledPeriods(s.get("nr_throttled"));
        if (s.containsKey("throttled_time")) stats.throttledNanos(s.get("throttled_time"));
    }
}
