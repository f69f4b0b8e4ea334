package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.dsl.ScriptRunner;

import java.util.List;

/**
 * hutch script FILE.groovy [ARGS...] (also {@code hutch FILE.groovy} and a {@code #!/usr/bin/env hutch}
 * line). Made only when asked for: Groovy is loaded by the runner, never on {@code hutch run}.
 */
public final class ScriptCommand implements Command {
    public String name() { return "script"; }
    public String summary() { return "Run a Groovy sandbox script"; }
    public String usage() { return "script [OPTIONS] FILE.groovy [ARG...]"; }

    public Flags flags() {
        return new Flags(name()).bool("debug", "D", "Show stack traces of script errors").stopAtFirstPositional();
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty()) throw new HutchException("\"hutch script\" requires a script file (try: hutch script samples/hello.groovy)");
        ScriptRunner runner = new ScriptRunner(ctx::engine, ctx.out(), ctx.err(), a.bool("debug"));
        return runner.run(ctx.path(pos.get(0)), pos.subList(1, pos.size()));
    }
}
