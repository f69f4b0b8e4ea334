package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch kill: send a signal (default KILL) to the container's init. */
public final class KillCommand implements Command {
    public String name() { return "kill"; }
    public String summary() { return "Kill one or more running containers"; }
    public String usage() { return "kill [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() { return new Flags(name()).value("signal", "s", "Signal to send to the container (default KILL)"); }

    public int run(Context ctx, Flags.Parsed a) {
        String sig = a.value("signal", "KILL");
        return Each.container(ctx, a, name(), ref -> ctx.engine().kill(ref, sig));
    }
}
