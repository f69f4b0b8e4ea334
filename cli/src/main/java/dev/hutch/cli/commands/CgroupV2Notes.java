package dev.hutch.cli.commands;

import dev.hutch.cli.Context;
import dev.hutch.spec.ContainerSpec;

/**
 * Flags whose cgroup v1 file has no v2 counterpart: the run goes on without them, and says so on
 * stderr, as docker does ("... discarded"). On v2 the kernel's OOM killer cannot be switched off
 * per cgroup: a container at its memory.max is still killed (memory.events counts it), and the
 * kernel's swappiness is the host's.
 */
final class CgroupV2Notes {
    private CgroupV2Notes() {}

    static void warn(Context ctx, ContainerSpec spec) {
        boolean oom = Boolean.TRUE.equals(spec.resources().oomKillDisable());
        // an out-of-range value is refused by the spec's validation in one line: no warning before it
        Long v = spec.resources().memorySwappiness();
        boolean swappiness = v != null && v >= 0 && v <= 100;
        if (!oom && !swappiness) return;
        if (!ctx.engine().cgroups().describe().contains("memory=v2")) {
            if (oom && spec.resources().memory() == null)
                ctx.err().println("WARNING: Disabling the OOM killer on containers without setting a '-m/--memory' limit may be dangerous.");
            return;
        }
        if (oom)
            ctx.err().println("WARNING: --oom-kill-disable discarded: cgroup v2 has no switch to disable the OOM killer; "
                    + "a container at its --memory limit is still killed (exit 137)");
        if (swappiness)
            ctx.err().println("WARNING: --memory-swappiness discarded: cgroup v2 has no per-cgroup swappiness; the host's applies");
    }
}
