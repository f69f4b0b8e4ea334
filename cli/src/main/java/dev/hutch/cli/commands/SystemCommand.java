package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;
import dev.hutch.cli.Table;
import dev.hutch.json.Json;
import dev.hutch.spec.ByteSize;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** hutch system df|prune|info: docker's disk usage table and its clean-up of what nothing uses. */
public final class SystemCommand implements Command {
    public String name() { return "system"; }
    public String summary() { return "Manage hutch (df, prune, info)"; }
    public String usage() { return "system df [--format json]\nhutch system prune [-a] [--volumes] [-f]\nhutch system info"; }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    @Override
    public List<Subcommand> subcommands() { return Subcommand.fromUsageLines(name(), usage(), List.of("df", "prune", "info"), SystemCommand::flagsOf); }

    static Flags flagsOf(String sub) {
        Flags f = new Flags("system " + sub);
        return switch (sub) {
            case "df" -> f.value("format", null, "Format the output: json");
            case "prune" -> f.bool("all", "a", "Remove all unused images, not just dangling ones")
                    .bool("volumes", null, "Prune anonymous volumes (with -a: every unused volume)")
                    .bool("force", "f", "Do not prompt for confirmation");
            default -> new InfoCommand().flags();
        };
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty()) throw new HutchException("\"hutch system\" needs a command: df, prune, info");
        String sub = pos.get(0);
        if (!List.of("df", "prune", "info").contains(sub))
            throw new HutchException("'" + sub + "' is not a hutch system command (try: df, prune, info)");
        List<String> rest = pos.subList(1, pos.size());
        if (rest.contains("--help")) {
            ctx.out().println("Usage:  hutch system " + sub + " [OPTIONS]\n\nOptions:\n" + flagsOf(sub).help());
            return 0;
        }
        Flags.Parsed p = flagsOf(sub).parse(rest);
        if (!p.positional().isEmpty()) throw new HutchException("\"hutch system " + sub + "\" takes no arguments");
        return switch (sub) {
            case "df" -> df(ctx, p);
            case "prune" -> prune(ctx, p);
            default -> new InfoCommand().run(ctx, p);
        };
    }

    private static int df(Context ctx, Flags.Parsed p) {
        List<DiskUsage.Row> rows = DiskUsage.of(ctx);
        if ("json".equals(p.value("format"))) {
            for (DiskUsage.Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Type", r.type());
                m.put("TotalCount", r.total());
                m.put("Active", r.active());
                m.put("Size", r.size());
                m.put("Reclaimable", r.reclaimable());
                ctx.out().println(Json.write(m));
            }
            return 0;
        }
        if (p.has("format")) throw new dev.hutch.spec.InvalidSpecException("--format", p.value("format"), "is not a supported format (use json)");
        Table t = new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
        for (DiskUsage.Row r : rows) {
            long pct = r.size() == 0 ? 0 : Math.round(100.0 * r.reclaimable() / r.size());
            t.row(r.type(), Integer.toString(r.total()), Integer.toString(r.active()), ByteSize.format(r.size()),
                    ByteSize.format(r.reclaimable()) + " (" + pct + "%)");
        }
        t.print(ctx.out());
        return 0;
    }

    private static int prune(Context ctx, Flags.Parsed p) {
        boolean all = p.bool("all"), volumes = p.bool("volumes");
        if (!p.bool("force")) {
            ctx.out().println("WARNING! This will remove:");
            ctx.out().println("  - all stopped containers");
            ctx.out().println("  - all networks not used by at least one container");
            ctx.out().println(all ? "  - all images without at least one container associated to them" : "  - all dangling images");
            ctx.out().println("  - all build cache");
            if (volumes) ctx.out().println(all ? "  - all volumes not used by at least one container" : "  - all anonymous volumes not used by at least one container");
            ctx.out().println();
            ctx.out().print("Are you sure you want to continue? [y/N] ");
            ctx.out().flush();
            if (!confirmed(ctx)) return 0;
        }
        Pruning.Result containers = Pruning.containers(ctx.engine(), c -> true);
        print(ctx, "Deleted Containers:", containers.removed());
        print(ctx, "Deleted Networks:", Pruning.networks(ctx.engine(), n -> true).removed());
        long reclaimed = containers.reclaimed();
        if (volumes) {
            Pruning.Result vols = Pruning.volumes(ctx.engine(), all, v -> true);
            print(ctx, "Deleted Volumes:", vols.removed());
            reclaimed += vols.reclaimed();
        }
        Pruning.ImageResult images = Pruning.images(ctx.engine(), all, i -> true);
        print(ctx, "Deleted Images:", images.lines());
        reclaimed += images.reclaimed();
        Pruning.Result cache = Pruning.buildCache(ctx.engine(), e -> true); // as docker's system prune (and its /build/prune)
        print(ctx, "Deleted build cache objects:", cache.removed());
        reclaimed += cache.reclaimed();
        ctx.out().println("Total reclaimed space: " + ByteSize.format(reclaimed));
        return 0;
    }

    private static boolean confirmed(Context ctx) {
        try {
            String line = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
            return line != null && (line.trim().equalsIgnoreCase("y") || line.trim().equalsIgnoreCase("yes"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void print(Context ctx, String title, List<String> items) {
        if (items.isEmpty()) return;
        ctx.out().println(title);
        items.forEach(ctx.out()::println);
        ctx.out().println();
    }
}
