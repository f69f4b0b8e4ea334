package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.util.List;

/** hutch image prune: removes dangling images (with -a: every image no container uses) and their layers. */
public final class ImagePruneCommand implements Command {
    public String name() { return "image prune"; }
    public String summary() { return "Remove unused images"; }
    public String usage() { return "image prune [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name()).bool("all", "a", "Remove all unused images, not just dangling ones")
                .bool("force", "f", "Do not prompt for confirmation (hutch never prompts)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (!a.positional().isEmpty()) throw new HutchException("\"hutch image prune\" takes no arguments");
        List<String> lines = Pruning.images(ctx.engine(), a.bool("all"), i -> true).lines();
        if (!lines.isEmpty()) {
            ctx.out().println("Deleted Images:");
            lines.forEach(ctx.out()::println);
        }
        return 0;
    }
}
