package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v1 {@code cpuset}. A new v1 cpuset starts with empty cpus and mems, and the kernel refuses any
 * task into it (ENOSPC) until both are set, so every level on the way down gets its parent's
 * values first (runc does the same). The container's own values are written after that.
 */
public final class CpusetV1 implements Controller {
    static final String CPUS = "cpuset.cpus", MEMS = "cpuset.mems";

    @Override public String name() { return "cpuset"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> prepare(CgroupDir parent, CgroupDir child) {
        List<CgroupWrite> writes = new ArrayList<>();
        for (String file : List.of(CPUS, MEMS)) {
            if (child.read(file).isEmpty()) writes.add(CgroupWrite.internal(child, file, parent.read(file)));
        }
        return writes;
    }

    @Override
    public List<CgroupWrite> plan(Resources r, CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        if (r.cpusetCpus() != null) writes.add(CgroupWrite.of(dir, CPUS, r.cpusetCpus(), "--cpuset-cpus", r.cpusetCpus()));
        if (r.cpusetMems() != null) writes.add(CgroupWrite.of(dir, MEMS, r.cpusetMems(), "--cpuset-mems", r.cpusetMems()));
        return writes;
    }
}
