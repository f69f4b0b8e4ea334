package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.util.function.Function;

/** docker's multi-container verbs: act on each, print each name as given, report failures, go on. */
final class Each {
    private Each() {}

    static int container(Context ctx, Flags.Parsed a, String verb, Function<String, String> action) {
        if (a.positional().isEmpty())
            throw new HutchException("\"hutch " + verb + "\" requires at least 1 argument (a container name or id)");
        int rc = 0;
        for (String ref : a.positional()) {
            try {
                action.apply(ref);
                ctx.out().println(ref);
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
