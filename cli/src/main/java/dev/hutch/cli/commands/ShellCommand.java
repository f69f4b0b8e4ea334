package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.dsl.shell.HutchShell;
import dev.hutch.dsl.shell.ShellTerminal;

import java.nio.file.Path;

/**
 * hutch shell: an interactive Groovy shell with the DSL and the engine's verbs preloaded. On a
 * terminal (the caller's stdin and stdout both, in-process or through the engine service) it edits
 * lines with JLine; with piped input or --dumb it reads plain lines.
 */
public final class ShellCommand implements Command {
    public String name() { return "shell"; }
    public String summary() { return "Interactive Groovy shell with the sandbox DSL"; }
    public String usage() { return "shell [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name()).bool("dumb", null, "Read plain lines even on a terminal (no editing, no completion)")
                .bool("debug", "D", "Show stack traces of errors");
    }

    public int run(Context ctx, Flags.Parsed a) {
        boolean atATerminal = !a.bool("dumb") && ctx.stdinIsTerminal() && ctx.stdoutIsTerminal();
        ShellTerminal terminal = atATerminal
                ? ShellTerminal.at(ctx.invocation().terminalDevice(), ctx.env().get("TERM"), home(ctx))
                : ShellTerminal.none();
        HutchShell shell = new HutchShell(ctx::engine, ctx.cwd(), ctx.in(), ctx.out(), ctx.err(), terminal, a.bool("debug"));
        ctx.signals().onInterrupt(shell::interrupt); // Ctrl-C stops what runs, not the shell
        return shell.run();
    }

    /** The caller's HOME (its history file lives there), else this process's user's. */
    private static Path home(Context ctx) {
        String home = ctx.env().get("HOME");
        return home != null && !home.isEmpty() ? ctx.path(home) : Path.of(System.getProperty("user.home"));
    }
}
