package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.io.IOException;

/** hutch export: the container's whole file system as one tar (to -o FILE or stdout). */
public final class ExportCommand implements Command {
    public String name() { return "export"; }
    public String summary() { return "Export a container's filesystem as a tar archive"; }
    public String usage() { return "export [OPTIONS] CONTAINER"; }

    public Flags flags() { return new Flags(name()).value("output", "o", "Write to a file, instead of STDOUT"); }

    public int run(Context ctx, Flags.Parsed a) throws IOException {
        if (a.positional().size() != 1) throw new HutchException("\"hutch export\" requires exactly 1 argument: CONTAINER");
        String id = ctx.engine().resolve(a.positional().get(0)); // an unknown name fails before any file is made
        ArchiveFiles.write(ctx, a.value("output"), "exporting", out -> ctx.engine().export(id, out));
        return 0;
    }
}
