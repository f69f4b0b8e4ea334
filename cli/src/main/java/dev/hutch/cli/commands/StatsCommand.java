package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.engine.Engine;
import dev.hutch.json.Json;
import dev.hutch.state.ContainerState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * hutch stats: docker's live resource table (CPU %, memory usage / limit, net and block I/O, pids),
 * read from each container's cgroup files; refreshed every second until Ctrl-C, or once with
 * --no-stream. The host's totals (OSHI) end the table.
 */
public final class StatsCommand implements Command {
    private static final long INTERVAL_MS = 1000;

    public String name() { return "stats"; }
    public String summary() { return "Display a live stream of container(s) resource usage statistics"; }
    public String usage() { return "stats [OPTIONS] [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).bool("all", "a", "Show all containers (default shows just running)")
                .bool("no-stream", null, "Disable streaming stats and only pull the first result")
                .bool("no-trunc", null, "Do not truncate output")
                .value("format", null, "json, or a template like {{.Name}} {{.CPUPerc}}");
    }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        boolean stream = !a.bool("no-stream"), terminal = ctx.stdinIsTerminal() && ctx.stdoutIsTerminal();
        String format = a.value("format");
        HostTotals host = new HostTotals();
        Map<String, StatsSample> previous = sample(ctx, a);
        do {
            Thread.sleep(INTERVAL_MS);
            Map<String, StatsSample> now = sample(ctx, a);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StatsSample s : now.values())
                rows.add(s.row(previous.get(s.container().id()), host.memoryTotal(), a.bool("no-trunc")));
            if (stream && terminal && format == null) ctx.out().print("\033[2J\033[H");
            if (format != null) {
                for (Map<String, Object> r : rows) ctx.out().println(format.equals("json") ? Json.write(r) : Views.template(format, r));
            } else {
                Table t = new Table("CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS");
                for (Map<String, Object> r : rows)
                    t.row(r.get("ID"), r.get("Name"), r.get("CPUPerc"), r.get("MemUsage"), r.get("MemPerc"), r.get("NetIO"), r.get("BlockIO"), r.get("PIDs"));
                t.print(ctx.out());
                ctx.out().println(host.line());
            }
            ctx.out().flush();
            previous = now;
        } while (stream);
        return 0;
    }

    /** One reading of each container asked for (or of all running ones); containers that went away are left out. */
    private static Map<String, StatsSample> sample(Context ctx, Flags.Parsed a) {
        Engine engine = ctx.engine();
        List<ContainerState> targets = new ArrayList<>();
        if (a.positional().isEmpty()) targets.addAll(engine.list(a.bool("all")));
        else for (String ref : a.positional()) targets.add(engine.inspect(ref));
        Map<String, StatsSample> out = new java.util.LinkedHashMap<>();
        for (ContainerState s : targets) {
            if (!s.isRunning() && a.positional().isEmpty() && !a.bool("all")) continue;
            try {
                out.put(s.id(), StatsSample.of(s, engine.stats(s.id()), ctx.config().procRoot()));
            } catch (HutchException e) {
                if (!a.positional().isEmpty() && s.isRunning()) throw e; // asked for by name: say why
            }
        }
        return out;
    }
}
