package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.spec.ExecSpec;

import java.util.List;

/** hutch exec: run a command in a running container; returns the command's exit code. */
public final class ExecCommand implements Command {
    public String name() { return "exec"; }
    public String summary() { return "Execute a command in a running container"; }
    public String usage() { return "exec [OPTIONS] CONTAINER COMMAND [ARG...]"; }

    public Flags flags() {
        return new Flags(name()).bool("interactive", "i", "Keep STDIN open")
                .bool("tty", "t", "Allocate a pseudo-TTY")
                .value("env", "e", "Set environment variables")
                .value("workdir", "w", "Working directory inside the container")
                .value("user", "u", "Username or UID (format: <name|uid>[:<group|gid>])")
                .stopAtFirstPositional();
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.size() < 2) throw new HutchException("\"hutch exec\" requires at least 2 arguments: CONTAINER COMMAND [ARG...]");
        ExecSpec spec = new ExecSpec(pos.subList(1, pos.size()), a.values("env"), a.value("workdir"), a.value("user"),
                a.bool("tty"), a.bool("interactive"));
        ctx.signals().keepForTheChild();
        // docker's sig-proxy: Ctrl-C, SIGTERM... reach the helper, which passes them to the command
        return ctx.engine().exec(pos.get(0), spec, ctx.signals()::forwardTo);
    }
}
