package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * hutch image ls|rm|prune|inspect|history|tag|save|load|import: docker's management-command
 * spelling of the image verbs. Each subcommand is the top-level verb's class, given the rest.
 */
public final class ImageCommand implements Command {
    private static final Map<String, Supplier<Command>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("ls", ImagesCommand::new);
        SUBCOMMANDS.put("rm", RmiCommand::new);
        SUBCOMMANDS.put("prune", ImagePruneCommand::new);
        SUBCOMMANDS.put("inspect", ImageInspectCommand::new);
        SUBCOMMANDS.put("history", HistoryCommand::new);
        SUBCOMMANDS.put("tag", TagCommand::new);
        SUBCOMMANDS.put("save", SaveCommand::new);
        SUBCOMMANDS.put("load", LoadCommand::new);
        SUBCOMMANDS.put("import", ImportCommand::new);
    }

    public String name() { return "image"; }
    public String summary() { return "Manage images (ls, rm, prune, inspect, history, tag, save, load, import)"; }
    public String usage() { return "image COMMAND [OPTIONS] ..."; }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    /** Each sub-verb is the top-level verb's class: its flags, and its usage with "image SUB" in front. */
    @Override
    public List<Subcommand> subcommands() {
        List<Subcommand> out = new java.util.ArrayList<>();
        SUBCOMMANDS.forEach((sub, made) -> {
            Command cmd = made.get();
            out.add(new Subcommand(sub, "image " + sub + cmd.usage().replaceFirst("^\\S+( inspect)?", ""), cmd.flags()));
        });
        return out;
    }

    public int run(Context ctx, Flags.Parsed a) throws Exception {
        List<String> pos = a.positional();
        String names = String.join(", ", SUBCOMMANDS.keySet());
        if (pos.isEmpty()) throw new HutchException("\"hutch image\" needs a command: " + names);
        String sub = switch (pos.get(0)) { case "list" -> "ls"; case "remove", "rmi" -> "rm"; default -> pos.get(0); };
        Supplier<Command> made = SUBCOMMANDS.get(sub);
        if (made == null) throw new HutchException("'" + pos.get(0) + "' is not a hutch image command (try: " + names + ")");
        Command cmd = made.get();
        List<String> rest = pos.subList(1, pos.size());
        if (rest.contains("--help")) {
            ctx.out().println("Usage:  hutch image " + sub + cmd.usage().replaceFirst("^\\S+( inspect)?", "") + "\n\n"
                    + cmd.summary() + "\n\nOptions:\n" + cmd.flags().help());
            return 0;
        }
        return cmd.run(ctx, cmd.flags().parse(rest));
    }
}
