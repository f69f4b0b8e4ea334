package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupText.CpuMax;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.ResourceValidator;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * v2 {@code cpu}: cpu.weight (from docker's shares by runc's mapping) and cpu.max
 * ("$QUOTA $PERIOD" in one file: a flag that sets only one half keeps the other from the file).
 */
public final class CpuV2 implements Controller {
    static final String WEIGHT = "cpu.weight", MAX = "cpu.max", STAT = "cpu.stat";

    @Override public String name() { return "cpu"; }

    @Override public int version() { return 2; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return SubtreeControl.enable(parent, name()); }

    /** runc's mapping of shares 2..262144 onto weight 1..10000 (1024 shares → weight 39). */
    public static long weightFromShares(long shares) { return 1 + ((shares - 2) * 9999) / 262142; }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.cpuShares() != null)
            writes.add(CgroupWrite.of(dir, WEIGHT, weightFromShares(r.cpuShares()), "--cpu-shares", r.cpuShares()));
        if (r.cpus() != null) {
            long period = r.cpuPeriod() != null ? r.cpuPeriod() : ResourceValidator.DEFAULT_CPU_PERIOD;
            CpuMax max = new CpuMax(Math.round(r.cpus() * period), period);
            writes.add(CgroupWrite.of(dir, MAX, max.format(), "--cpus", r.cpus()));
        } else if (r.cpuQuota() != null || r.cpuPeriod() != null) {
            CpuMax current = CpuMax.parse(dir.read(MAX));
            long quota = r.cpuQuota() != null ? r.cpuQuota() : current.quota();
            long period = r.cpuPeriod() != null ? r.cpuPeriod() : current.period();
            String flag = r.cpuQuota() != null ? "--cpu-quota" : "--cpu-period";
            Object flagValue = r.cpuQuota() != null ? r.cpuQuota() : r.cpuPeriod();
            writes.add(CgroupWrite.of(dir, MAX, new CpuMax(quota, period).format(), flag, flagValue));
        }
        return writes;
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        Map<String, Long> s = dir.flatKeyed(STAT);
        if (s.containsKey("usage_usec") && !stats.hasCpuUsage()) stats.cpuUsageNanos(s.get("usage_usec") * 1000);
        if (s.containsKey("nr_periods")) stats.periods(s.get("nr_periods"));
        if (s.containsKey("nr_throttled")) stats.throttledPeriods(s.get("nr_throttled"));
        if (s.containsKey("throttled_usec")) stats.throttledNanos(s.get("throttled_usec") * 1000);
    }
}
