package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.json.Json;
import dev.hutch.volume.Volume;
import dev.hutch.volume.VolumeStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** hutch volume create|ls|inspect|rm|prune, with docker's flags; the verbs' flags follow the subcommand. */
public final class VolumeCommand implements Command {
    private static final List<String> SUBCOMMANDS = List.of("create", "ls", "inspect", "rm", "prune");

    public String name() { return "volume"; }
    public String summary() { return "Manage volumes (create, ls, inspect, rm, prune)"; }
    public String usage() {
        return String.join("\nhutch ", "volume create [--label K=V]... [NAME]", "volume ls [-q] [--format json|TEMPLATE]",
                "volume inspect VOLUME [VOLUME...]", "volume rm [-f] VOLUME [VOLUME...]", "volume prune [-a] [-f]");
    }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    @Override
    public List<Subcommand> subcommands() { return Subcommand.fromUsageLines(name(), usage(), SUBCOMMANDS, VolumeCommand::flagsOf); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty()) throw new HutchException("\"hutch volume\" needs a command: " + String.join(", ", SUBCOMMANDS));
        String sub = switch (pos.get(0)) { case "list" -> "ls"; case "remove" -> "rm"; default -> pos.get(0); };
        if (!SUBCOMMANDS.contains(sub))
            throw new HutchException("'" + pos.get(0) + "' is not a hutch volume command (try: " + String.join(", ", SUBCOMMANDS) + ")");
        Flags flags = flagsOf(sub);
        List<String> rest = pos.subList(1, pos.size());
        if (rest.contains("--help")) {
            ctx.out().println("Usage:  hutch volume " + sub + " [OPTIONS]\n\nOptions:\n" + flags.help());
            return 0;
        }
        Flags.Parsed p = flags.parse(rest);
        VolumeStore volumes = ctx.engine().volumes();
        List<String> names = p.positional();
        switch (sub) {
            case "create" -> {
                if (names.size() > 1) throw new HutchException("\"hutch volume create\" takes at most 1 argument: [NAME]");
                Map<String, String> labels = labels(p.values("label"));
                // no name: docker's random 64-hex one, but a named volume still (prune without -a keeps it)
                String name = names.isEmpty() ? randomName() : names.get(0);
                ctx.out().println(volumes.create(name, labels).name());
                ctx.engine().volumeEvent("create", name);
            }
            case "ls" -> ls(ctx, volumes.list(), p);
            case "inspect" -> {
                List<Object> out = new ArrayList<>();
                int rc = Each.named(ctx, names, "volume inspect", n -> out.add(volumes.inspect(n)), false);
                ctx.out().println(Json.pretty(out));
                return rc;
            }
            case "rm" -> {
                return Each.named(ctx, names, "volume rm", n -> {
                    volumes.remove(n, p.bool("force"), ctx.engine()::volumeInUse);
                    ctx.engine().volumeEvent("destroy", n);
                }, true);
            }
            default -> {
                // docker (API 1.42+): prune takes anonymous volumes only, unless --all
                List<String> removed = Pruning.volumes(ctx.engine(), p.bool("all"), v -> true).removed();
                if (!removed.isEmpty()) ctx.out().println("Deleted Volumes:\n" + String.join("\n", removed));
            }
        }
        return 0;
    }

    private static Flags flagsOf(String sub) {
        Flags f = new Flags("volume " + sub);
        return switch (sub) {
            case "create" -> f.value("label", null, "Set metadata for a volume (K=V)").value("driver", "d", "Only \"local\" (accepted for docker compatibility)");
            case "ls" -> f.bool("quiet", "q", "Only display volume names").value("format", null, "json, or a template like {{.Name}}");
            case "rm" -> f.bool("force", "f", "Do not fail when a volume does not exist");
            case "prune" -> f.bool("all", "a", "Remove all unused volumes, not just anonymous ones").bool("force", "f", "Do not prompt (hutch never prompts)");
            default -> f;
        };
    }

    private static void ls(Context ctx, List<Volume> all, Flags.Parsed p) {
        String format = p.value("format");
        if (p.bool("quiet")) {
            all.forEach(v -> ctx.out().println(v.name()));
        } else if (format != null) {
            for (Volume v : all) {
                Object row = Json.parse(Json.write(v));
                ctx.out().println(format.equals("json") ? Json.write(row) : Views.template(format, row));
            }
        } else {
            Table t = new Table("DRIVER", "VOLUME NAME");
            all.forEach(v -> t.row("local", v.name()));
            t.print(ctx.out());
        }
    }

    private static String randomName() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    private static Map<String, String> labels(List<String> kvs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : kvs) {
            int eq = kv.indexOf('=');
            out.put(eq < 0 ? kv : kv.substring(0, eq), eq < 0 ? "" : kv.substring(eq + 1));
        }
        return out;
    }
}
