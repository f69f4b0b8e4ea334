package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.completion.CompletionScripts;
import dev.hutch.spec.InvalidSpecException;

import java.util.List;

/** hutch completion bash|zsh|fish: the shell completion script, generated from the verbs' own flag tables. */
public final class CompletionCommand implements Command {
    public String name() { return "completion"; }
    public String summary() { return "Print the shell completion script for bash, zsh or fish (install: see its first lines)"; }
    public String usage() { return "completion bash|zsh|fish"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.size() != 1 || !CompletionScripts.SHELLS.contains(pos.get(0)))
            throw new InvalidSpecException("SHELL", pos.isEmpty() ? null : String.join(" ", pos), "is not a shell hutch completes (use bash, zsh or fish)");
        ctx.out().print(CompletionScripts.of(pos.get(0)));
        return 0;
    }
}
