package dev.hutch.cgroup;

import dev.hutch.cgroup.v1.BlkioV1;
import dev.hutch.cgroup.v1.CpuV1;
import dev.hutch.cgroup.v1.CpuacctV1;
import dev.hutch.cgroup.v1.CpusetV1;
import dev.hutch.cgroup.v1.DevicesV1;
import dev.hutch.cgroup.v1.FreezerV1;
import dev.hutch.cgroup.v1.MemoryV1;
import dev.hutch.cgroup.v1.PidsV1;
import dev.hutch.cgroup.v2.CpuV2;
import dev.hutch.cgroup.v2.CpusetV2;
import dev.hutch.cgroup.v2.DevicesV2;
import dev.hutch.cgroup.v2.FreezerV2;
import dev.hutch.cgroup.v2.IoV2;
import dev.hutch.cgroup.v2.MemoryV2;
import dev.hutch.cgroup.v2.PidsV2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Picks, per controller, the v1 implementation where the controller is mounted as v1, else the v2
 * one where the v2 root offers it. The order of the list is the order limits are written in:
 * cpuset first, so that the cpus are in place before anything else refers to them.
 *
 * <p>Plain ifs rather than Optional chains with lambdas: this runs on every {@code hutch run},
 * and each lambda call site costs class spinning at start-up.
 */
public final class ControllerChoice {
    private ControllerChoice() {}

    public static List<Binding> choose(CgroupLayout layout, DeviceNumbers devices) {
        List<Binding> out = new ArrayList<>();
        add(out, layout.v1("cpuset"), new CpusetV1());
        if (layout.v1("cpuset").isEmpty()) add(out, layout.v2("cpuset"), new CpusetV2());
        add(out, layout.v1("cpu"), new CpuV1());
        if (layout.v1("cpu").isEmpty()) add(out, layout.v2("cpu"), new CpuV2());
        // v2 has no cpuacct: its cpu.stat carries usage_usec
        add(out, layout.v1("cpuacct"), new CpuacctV1());
        add(out, layout.v1("memory"), new MemoryV1());
        if (layout.v1("memory").isEmpty()) add(out, layout.v2("memory"), new MemoryV2());
        add(out, layout.v1("pids"), new PidsV1());
        if (layout.v1("pids").isEmpty()) add(out, layout.v2("pids"), new PidsV2());
        add(out, layout.v1("blkio"), new BlkioV1(devices));
        if (layout.v1("blkio").isEmpty()) add(out, layout.v2("io"), new IoV2(devices));
        add(out, layout.v1("devices"), new DevicesV1());
        // v2's freezer is core (cgroup.freeze), there whenever a v2 hierarchy is mounted.
        add(out, layout.v1("freezer"), new FreezerV1());
        if (layout.v1("freezer").isEmpty()) add(out, layout.v2(), new FreezerV2());
        // v2 device control is an eBPF program the helper attaches to this directory. Also on a
        // hybrid host, next to v1's rules: the kernel checks both, so each is a wall of its own.
        // Last, so a hybrid host's v1 directories still come first in a container's paths.
        add(out, layout.v2(), new DevicesV2());
        return out;
    }

    private static void add(List<Binding> out, Optional<Hierarchy> where, Controller controller) {
        if (where.isPresent()) out.add(new Binding(controller, where.get()));
    }
}
