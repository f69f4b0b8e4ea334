package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupStats;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.List;

/** v2 {@code pids}: pids.max (0 or -1 from docker mean "max"), pids.current. */
public final class PidsV2 implements Controller {
    static final String MAX = "pids.max", CURRENT = "pids.current";

    @Override public String name() { return "pids"; }

    @Override public int version() { return 2; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return SubtreeControl.enable(parent, name()); }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        if (r.pidsLimit() == null) return List.of();
        String value = r.pidsLimit() <= 0 ? "max" : Long.toString(r.pidsLimit());
        return List.of(CgroupWrite.of(dir, MAX, value, "--pids-limit", r.pidsLimit()));
    }

    @Override
    public void readStats(CgroupDir dir, CgroupStats.Builder stats) {
        stats.pids(dir.valueOr(CURRENT, -1));
        stats.pidsLimit(dir.valueOr(MAX, -1));
    }
}
