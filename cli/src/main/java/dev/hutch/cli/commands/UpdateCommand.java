package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.SpecFlags;
import dev.hutch.spec.Resources;
import dev.hutch.spec.RestartPolicy;

/**
 * hutch update: change the limits of running (or stopped) containers, docker's flags, and the
 * restart policy (effective at the container's next exit). The engine
 * validates the merged limits first and writes only the given ones into the live cgroup.
 */
public final class UpdateCommand implements Command {
    public String name() { return "update"; }
    public String summary() { return "Update configuration of one or more containers"; }
    public String usage() { return "update [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return SpecFlags.declareResources(new Flags(name()))
                .value("restart", null, "Restart policy to apply when a container exits (no, on-failure[:N], always, unless-stopped)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        Resources.Builder b = Resources.builder();
        SpecFlags.resources(a, b);
        Resources changes = b.build();
        RestartPolicy restart = a.has("restart") ? RestartPolicy.parse(a.value("restart")) : null;
        if (changes.isEmpty() && restart == null)
            throw new HutchException("you must provide one or more flags when using this command (try: hutch update --cpus 0.5 NAME)");
        return Each.container(ctx, a, name(), ref -> {
            String id = changes.isEmpty() ? ctx.engine().resolve(ref) : ctx.engine().update(ref, changes).id();
            if (restart != null) ctx.engine().updateRestart(id, restart);
            return id;
        });
    }
}
