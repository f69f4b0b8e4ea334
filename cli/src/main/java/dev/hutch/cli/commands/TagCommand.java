package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

/** hutch tag: another name for an image (the same id; no layer is copied). */
public final class TagCommand implements Command {
    public String name() { return "tag"; }
    public String summary() { return "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE"; }
    public String usage() { return "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 2)
            throw new HutchException("\"hutch tag\" requires exactly 2 arguments: SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]");
        ctx.engine().tag(a.positional().get(0), a.positional().get(1));
        return 0;
    }
}
