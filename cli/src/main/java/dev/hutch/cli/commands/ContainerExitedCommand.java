package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.engine.Engine;

/**
 * Not for people: the exit command a container's monitor runs when the container's process ended
 * and it has a restart policy (see Engine#afterExit). It decides by the policy, waits the backoff
 * and starts the container again; it prints nothing (its stdio is /dev/null).
 */
public final class ContainerExitedCommand implements Command {
    public String name() { return Engine.AFTER_EXIT_VERB; }
    public String summary() { return "(internal) carry out a container's restart policy after its process ended"; }
    public String usage() { return Engine.AFTER_EXIT_VERB + " CONTAINER"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) return 125;
        ctx.engine().afterExit(a.positional().get(0));
        return 0;
    }
}
