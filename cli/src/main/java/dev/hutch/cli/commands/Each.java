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

    /** The same for volumes and other named things: act on each, report failures, go on; rc 1 if any failed. */
    static int named(Context ctx, java.util.List<String> names, String verb, java.util.function.Consumer<String> action, boolean echo) {
        if (names.isEmpty()) throw new HutchException("\"hutch " + verb + "\" requires at least 1 argument");
        int rc = 0;
        for (String name : names) {
            try {
                action.accept(name);
                if (echo) ctx.out().println(name);
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
