package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.util.List;

/** hutch rename: a new name for a container, running or not; its peers on user networks resolve the new one at once. */
public final class RenameCommand implements Command {
    public String name() { return "rename"; }
    public String summary() { return "Rename a container"; }
    public String usage() { return "rename CONTAINER NEW_NAME"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.size() != 2) throw new HutchException("\"hutch rename\" requires exactly 2 arguments: CONTAINER NEW_NAME");
        if (pos.get(0).isBlank() || pos.get(1).isBlank()) throw new HutchException(1, "Neither old nor new names may be empty", null);
        ctx.engine().rename(pos.get(0), pos.get(1));
        return 0;
    }
}
