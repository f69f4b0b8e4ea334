package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.dsl.shell.HutchShell;

/**
 * hutch shell: an interactive Groovy shell with the DSL and the engine's verbs preloaded. With
 * piped input it reads plain lines (no terminal needed), which is how it is tested.
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
        return new HutchShell(ctx::engine, ctx.in(), ctx.out(), ctx.err(),
                a.bool("dumb") || !ctx.stdinIsTerminal() || !ctx.stdoutIsTerminal(), a.bool("debug")).run();
    }
}
