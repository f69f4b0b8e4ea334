package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.List;

/** v1 {@code cpuacct}: no limits, only the cpu time used (nanoseconds in cpuacct.usage). */
public final class CpuacctV1 implements Controller {
    static final String USAGE = "cpuacct.usage";

    @Override public String name() { return "cpuacct"; }

    @Override public int version() { return 1; }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        long usage = dir.valueOr(USAGE, -1);
        if (usage >= 0) stats.cpuUsageNanos(usage);
    }
}
