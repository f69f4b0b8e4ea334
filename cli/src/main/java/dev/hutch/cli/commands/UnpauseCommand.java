package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch unpause: thaw a paused container. */
public final class UnpauseCommand implements Command {
    public String name() { return "unpause"; }
    public String summary() { return "Unpause all processes within one or more containers"; }
    public String usage() { return "unpause CONTAINER [CONTAINER...]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        return Each.container(ctx, a, name(), ref -> { ctx.engine().unpause(ref); return ref; });
    }
}
