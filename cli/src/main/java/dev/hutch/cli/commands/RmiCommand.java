package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch rmi: untag, and delete the image and its layers once nothing refers to them. */
public final class RmiCommand implements Command {
    public String name() { return "rmi"; }
    public String summary() { return "Remove one or more images"; }
    public String usage() { return "rmi [OPTIONS] IMAGE [IMAGE...]"; }

    public Flags flags() {
        return new Flags(name()).bool("force", "f", "Force removal: untag an image a container uses, remove all tags of an id")
                .bool("no-prune", null, "Accepted for docker compatibility (hutch keeps no parent images)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().isEmpty()) throw new HutchException("\"hutch rmi\" requires at least 1 argument: IMAGE...");
        int rc = 0;
        for (String ref : a.positional()) {
            try {
                ctx.engine().removeImage(ref, a.bool("force")).lines().forEach(ctx.out()::println);
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
