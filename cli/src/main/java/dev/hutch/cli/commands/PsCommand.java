package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.cli.filter.ContainerFilter;
import dev.hutch.cli.filter.FilterArgs;
import dev.hutch.json.Json;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** hutch ps: running containers, or all with -a. */
public final class PsCommand implements Command {
    public String name() { return "ps"; }
    public String summary() { return "List containers"; }
    public String usage() { return "ps [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name()).bool("all", "a", "Show all containers (default shows just running)")
                .value("filter", "f", "Filter output: status=, name=, id=, label=KEY[=VALUE], health=, exited=CODE, ancestor=IMAGE, "
                        + "network=, volume=, publish=PORT[/PROTO], expose=, before=CONTAINER, since=CONTAINER (repeatable)")
                .value("last", "n", "Show n last created containers (includes all states)")
                .bool("latest", "l", "Show the latest created container (includes all states)")
                .bool("size", "s", "Display total file sizes (the writable layer, and virtual: with the image)")
                .bool("quiet", "q", "Only display container IDs")
                .bool("no-trunc", null, "Don't truncate output")
                .value("format", null, "json, or a template like {{.Names}}");
    }

    public int run(Context ctx, Flags.Parsed a) {
        ContainerFilter filter = new ContainerFilter(FilterArgs.fromFlags(a.values("filter")));
        int last = a.bool("latest") ? 1 : a.intValue("last", -1);
        List<ContainerState> list = filter.select(ctx.engine(), a.bool("all"), last);
        boolean full = a.bool("no-trunc");
        if (a.bool("quiet")) {
            list.forEach(s -> ctx.out().println(full ? s.id() : s.shortId()));
            return 0;
        }
        Instant now = Instant.now();
        String format = a.value("format");
        // docker works sizes out for -s, or when a template asks for .Size
        boolean size = a.bool("size") || (format != null && format.contains(".Size"));
        if (format != null) {
            for (ContainerState s : list) {
                Map<String, Object> row = row(ctx, s, now, full, size);
                ctx.out().println(format.equals("json") ? Json.write(row) : Views.template(format, row));
            }
            return 0;
        }
        Table t = size ? new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES", "SIZE")
                : new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (ContainerState s : list) {
            Map<String, Object> r = row(ctx, s, now, full, size);
            if (size) t.row(r.get("ID"), r.get("Image"), r.get("Command"), r.get("RunningFor"), r.get("Status"), r.get("Ports"), r.get("Names"), r.get("Size"));
            else t.row(r.get("ID"), r.get("Image"), r.get("Command"), r.get("RunningFor"), r.get("Status"), r.get("Ports"), r.get("Names"));
        }
        t.print(ctx.out());
        return 0;
    }

    /** docker's `ps --format json` keys. */
    static Map<String, Object> row(Context ctx, ContainerState s, Instant now, boolean full, boolean size) {
        Map<String, Object> m = new LinkedHashMap<>();
        String cmd = s.command().stream().collect(Collectors.joining(" "));
        if (!full && cmd.length() > 20) cmd = cmd.substring(0, 19) + "…";
        m.put("ID", full ? s.id() : s.shortId());
        m.put("Image", s.spec().image());
        m.put("Command", "\"" + cmd + "\"");
        m.put("CreatedAt", String.valueOf(s.created()));
        m.put("RunningFor", s.created() == null ? "" : Views.human(java.time.Duration.between(s.created(), now)) + " ago");
        m.put("Status", Views.status(s, now, ctx.engine().states().health(s)));
        m.put("State", s.status().label());
        // the published ports as attach chose them (port 0 becomes a real one); none once it stopped, as docker
        List<PortMapping> ports = s.isRunning() ? s.network().bindings() : List.of();
        m.put("Ports", ports.stream().map(Object::toString).collect(Collectors.joining(", ")));
        m.put("Names", s.name());
        m.put("ExitCode", s.exitCode());
        if (size) m.put("Size", ContainerSize.of(ctx.engine(), s).text());
        return m;
    }
}
