package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.SpecFlags;
import dev.hutch.spec.Resources;

/**
 * hutch update: change the limits of running (or stopped) containers, docker's flags. The engine
 * validates the merged limits first and writes only the given ones into the live cgroup.
 */
public final class UpdateCommand implements Command {
    public String name() { return "update"; }
    public String summary() { return "Update configuration of one or more containers"; }
    public String usage() { return "update [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name())
                .value("cpus", null, "Number of CPUs")
                .value("cpu-period", null, "Limit CPU CFS period (microseconds)")
                .value("cpu-quota", null, "Limit CPU CFS quota (microseconds)")
                .value("cpu-shares", "c", "CPU shares (relative weight)")
                .value("cpuset-cpus", null, "CPUs in which to allow execution (0-3, 0,1)")
                .value("cpuset-mems", null, "MEMs in which to allow execution (0-3, 0,1)")
                .value("memory", "m", "Memory limit")
                .value("memory-swap", null, "Swap limit equal to memory plus swap: -1 for unlimited swap")
                .value("memory-reservation", null, "Memory soft limit")
                .value("pids-limit", null, "Tune container pids limit (-1 for unlimited)")
                .value("blkio-weight", null, "Block IO (relative weight), between 10 and 1000");
    }

    public int run(Context ctx, Flags.Parsed a) {
        Resources.Builder b = Resources.builder();
        SpecFlags.resources(a, b);
        Resources changes = b.build();
        if (changes.isEmpty())
            throw new HutchException("you must provide one or more flags when using this command (try: hutch update --cpus 0.5 NAME)");
        return Each.container(ctx, a, name(), ref -> ctx.engine().update(ref, changes).id());
    }
}
