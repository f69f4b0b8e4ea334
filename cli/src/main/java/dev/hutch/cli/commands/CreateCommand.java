package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.SpecFlags;
import dev.hutch.spec.ContainerSpec;

/**
 * hutch create: run's flags and checks, then a container recorded as "created" (its record, name
 * and data dir on disk, so {@code ps -a} lists it and any later hutch can start it); prints its id.
 */
public final class CreateCommand implements Command {
    public String name() { return "create"; }
    public String summary() { return "Create a new container"; }
    public String usage() { return "create [OPTIONS] IMAGE [COMMAND] [ARG...]"; }

    public Flags flags() {
        return SpecFlags.declare(ImplicitPull.declare(new Flags(name()))).stopAtFirstPositional();
    }

    public int run(Context ctx, Flags.Parsed a) {
        ContainerSpec spec = SpecFlags.toSpec(ctx, a, a.positional());
        String image = ImplicitPull.beforeRun(ctx, a, spec.image(), dev.hutch.rootfs.BusyboxImage.NAME);
        if (!image.equals(spec.image())) {
            java.util.List<String> byId = new java.util.ArrayList<>(a.positional());
            byId.set(0, image);
            spec = SpecFlags.toSpec(ctx, a, byId);
        }
        ctx.out().println(ctx.engine().create(spec).id());
        return 0;
    }
}
