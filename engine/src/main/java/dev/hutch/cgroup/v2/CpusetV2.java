package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/** v2 {@code cpuset}: an empty cpuset.cpus inherits the parent's, so nothing is copied down (unlike v1). */
public final class CpusetV2 implements Controller {
    static final String CPUS = "cpuset.cpus", MEMS = "cpuset.mems";

    @Override public String name() { return "cpuset"; }

    @Override public int version() { return 2; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) { return SubtreeControl.enable(parent, name()); }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.cpusetCpus() != null) writes.add(CgroupWrite.of(dir, CPUS, r.cpusetCpus(), "--cpuset-cpus", r.cpusetCpus()));
        if (r.cpusetMems() != null) writes.add(CgroupWrite.of(dir, MEMS, r.cpusetMems(), "--cpuset-mems", r.cpusetMems()));
        return writes;
    }
}
