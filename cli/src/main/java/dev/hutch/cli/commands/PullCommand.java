package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.registry.PullResult;
import dev.hutch.registry.Reference;

/** hutch pull: an image from a registry, verified blob by blob (docs/registries.md). */
public final class PullCommand implements Command {
    /** docker pull exits 1 on failure, not 125. */
    static final int PULL_FAILED = 1;

    public String name() { return "pull"; }
    public String summary() { return "Download an image from a registry"; }
    public String usage() { return "pull [OPTIONS] NAME[:TAG|@DIGEST]"; }

    public Flags flags() {
        return new Flags(name())
                .value("platform", null, "Pull this platform of a multi-platform image (os/arch[/variant]; default: the host's)")
                .bool("quiet", "q", "Suppress verbose output: print only the image's full name")
                .value("insecure-registry", null, "Allow plain HTTP for this registry HOST:PORT (also env HUTCH_INSECURE_REGISTRIES)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) throw new HutchException(PULL_FAILED, "\"hutch pull\" requires exactly 1 argument: NAME[:TAG|@DIGEST]", null);
        try {
            PullResult r = Pulls.pull(ctx, a.positional().get(0), a.value("platform"), a.values("insecure-registry"), a.bool("quiet"), ctx.out());
            ctx.out().println(Reference.parse(a.positional().get(0)).full());
            return r == null ? PULL_FAILED : 0;
        } catch (HutchException e) {
            throw new HutchException(PULL_FAILED, e.getMessage(), e);
        }
    }
}
