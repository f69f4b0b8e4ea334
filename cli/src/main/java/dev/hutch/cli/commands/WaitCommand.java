package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch wait: block until containers stop, then print their exit codes. */
public final class WaitCommand implements Command {
    public String name() { return "wait"; }
    public String summary() { return "Block until one or more containers stop, then print their exit codes"; }
    public String usage() { return "wait CONTAINER [CONTAINER...]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().isEmpty()) throw new HutchException("\"hutch wait\" requires at least 1 argument");
        int rc = 0;
        for (String ref : a.positional()) {
            try {
                ctx.out().println(ctx.engine().waitFor(ref));
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
