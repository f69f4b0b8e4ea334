package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch rm: remove containers, with everything they had on the host. */
public final class RmCommand implements Command {
    public String name() { return "rm"; }
    public String summary() { return "Remove one or more containers"; }
    public String usage() { return "rm [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).bool("force", "f", "Force the removal of a running container (uses SIGKILL)")
                .bool("volumes", "v", "Remove anonymous volumes associated with the container");
    }

    public int run(Context ctx, Flags.Parsed a) {
        return Each.container(ctx, a, name(), ref -> ctx.engine().remove(ref, a.bool("force"), a.bool("volumes")));
    }
}
