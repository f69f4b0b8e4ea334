package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.json.Json;
import dev.hutch.net.NetworkRecord;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** hutch ps: running containers, or all with -a. */
public final class PsCommand implements Command {
    public String name() { return "ps"; }
    public String summary() { return "List containers"; }
    public String usage() { return "ps [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name()).bool("all", "a", "Show all containers (default shows just running)")
                .bool("quiet", "q", "Only display container IDs")
                .bool("no-trunc", null, "Don't truncate output")
                .value("filter", "f", "Only containers with a label: label=KEY or label=KEY=VALUE (repeatable; all must match)")
                .value("format", null, "json, or a template like {{.Names}}");
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<Predicate<ContainerState>> filters = a.values("filter").stream().map(PsCommand::filter).toList();
        List<ContainerState> list = ctx.engine().list(a.bool("all")).stream().filter(s -> filters.stream().allMatch(f -> f.test(s))).toList();
        boolean full = a.bool("no-trunc");
        if (a.bool("quiet")) {
            list.forEach(s -> ctx.out().println(full ? s.id() : s.shortId()));
            return 0;
        }
        Instant now = Instant.now();
        String format = a.value("format");
        if (format != null) {
            for (ContainerState s : list) {
                Map<String, Object> row = row(ctx, s, now, full);
                ctx.out().println(format.equals("json") ? Json.write(row) : Views.template(format, row));
            }
            return 0;
        }
        Table t = new Table("CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
        for (ContainerState s : list) {
            Map<String, Object> r = row(ctx, s, now, full);
            t.row(r.get("ID"), r.get("Image"), r.get("Command"), r.get("RunningFor"), r.get("Status"), r.get("Ports"), r.get("Names"));
        }
        t.print(ctx.out());
        return 0;
    }

    /**
     * docker's {@code --filter label=KEY[=VALUE]}: how what a test run left is found
     * ({@code hutch rm -f $(hutch ps -aq --filter label=dev.hutch.junit5.run=ID)}, docs/junit5.md).
     */
    static Predicate<ContainerState> filter(String text) {
        if (!text.startsWith("label=") || text.length() == "label=".length())
            throw new InvalidSpecException("--filter", text, "is not label=KEY or label=KEY=VALUE (hutch ps filters by label)");
        String want = text.substring("label=".length());
        int eq = want.indexOf('=');
        String key = eq < 0 ? want : want.substring(0, eq);
        return s -> eq < 0 ? s.spec().labels().containsKey(key) : want.substring(eq + 1).equals(s.spec().labels().get(key));
    }

    /** docker's `ps --format json` keys. */
    static Map<String, Object> row(Context ctx, ContainerState s, Instant now, boolean full) {
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
        return m;
    }
}
