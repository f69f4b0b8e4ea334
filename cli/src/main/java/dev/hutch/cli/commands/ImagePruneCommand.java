package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.Image;
import dev.hutch.image.LocalImageStore;

import java.util.ArrayList;
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
        LocalImageStore store = ImageStores.of(ctx);
        List<String> lines = new ArrayList<>(store.pruneDangling(ctx.engine()::imageInUse).lines());
        if (a.bool("all")) {
            for (Image image : store.list()) {
                if (!ctx.engine().imageInUse(image.id())) lines.addAll(store.remove(image.id(), true, id -> false).lines());
            }
        }
        if (!lines.isEmpty()) {
            ctx.out().println("Deleted Images:");
            lines.forEach(ctx.out()::println);
        }
        return 0;
    }
}
