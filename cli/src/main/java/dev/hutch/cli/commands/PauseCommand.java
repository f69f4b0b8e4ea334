package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch pause: freeze every process of the container (v1 freezer, v2 cgroup.freeze). */
public final class PauseCommand implements Command {
    public String name() { return "pause"; }
    public String summary() { return "Pause all processes within one or more containers"; }
    public String usage() { return "pause CONTAINER [CONTAINER...]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        return Each.container(ctx, a, name(), ref -> { ctx.engine().pause(ref); return ref; });
    }
}
