package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.layer.LayerChanges;

/** hutch diff: docker's A (added), C (changed) and D (deleted) lines, read from the container's writable layer. */
public final class DiffCommand implements Command {
    public String name() { return "diff"; }
    public String summary() { return "Inspect changes to files or directories on a container's filesystem"; }
    public String usage() { return "diff CONTAINER"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) throw new HutchException("\"hutch diff\" requires exactly 1 argument: CONTAINER");
        for (LayerChanges.Change c : ctx.engine().changes(a.positional().get(0))) ctx.out().println(c);
        return 0;
    }
}
