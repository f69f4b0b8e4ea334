package dev.hutch.cgroup.v2;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.List;

/**
 * v2 device control: no files, an eBPF program ({@link DeviceProgram}) that the helper loads and
 * attaches to this directory before init joins it (bpf(2) stays out of the JVM). Bound to the
 * v2 hierarchy whenever one is mounted; needs no controller enabled in subtree_control.
 */
public final class DevicesV2 implements Controller {
    @Override public String name() { return "devices"; }

    @Override public int version() { return 2; }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }
}
