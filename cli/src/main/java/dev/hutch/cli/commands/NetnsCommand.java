package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.json.Json;
import dev.hutch.net.netns.NetnsLister;
import dev.hutch.net.netns.NetnsLister.Interface;
import dev.hutch.net.netns.NetnsLister.Namespace;
import dev.hutch.state.ContainerState;
import dev.hutch.sys.Syscalls;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * hutch netns ls: every network namespace on the host (named ones, hutch's containers, docker's,
 * and processes' unnamed ones), each with its interfaces and addresses, as `ip -br addr` shows them.
 */
public final class NetnsCommand implements Command {
    /** Where docker exposes its containers' namespaces; read only. */
    private static final Path DOCKER_NETNS = Path.of("/run/docker/netns");

    public String name() { return "netns"; }
    public String summary() { return "List network namespaces with their interfaces and addresses"; }
    public String usage() { return "netns ls [--format json] [--no-interfaces]"; }

    public Flags flags() {
        return new Flags(name()).value("format", null, "json: one namespace per line")
                .bool("no-interfaces", null, "Do not enter the namespaces to read their interfaces (faster)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (!pos.isEmpty() && !List.of("ls", "list").contains(pos.get(0)))
            throw new HutchException("'" + pos.get(0) + "' is not a hutch netns command (try: hutch netns ls)");
        Map<String, Long> containers = new LinkedHashMap<>();
        for (ContainerState s : ctx.engine().list(false)) containers.put(s.name(), s.pid());
        NetnsLister lister = new NetnsLister(ctx.config().procRoot(), ctx.config().netnsDir(), DOCKER_NETNS, Syscalls.jna());
        List<Namespace> all = lister.list(containers, !a.bool("no-interfaces"));
        boolean json = "json".equals(a.value("format"));
        for (Namespace ns : all) {
            if (json) ctx.out().println(Json.write(toJson(ns)));
            else print(ctx, ns);
        }
        return 0;
    }

    private static void print(Context ctx, Namespace ns) {
        String pids = ns.pids().isEmpty() ? "" : "  pids " + abbreviate(ns.pids());
        ctx.out().println("net:[" + ns.inode() + "]  " + String.join(", ", ns.names()) + pids);
        if (ns.error() != null) ctx.out().println("    (interfaces unreadable: " + ns.error() + ")");
        for (Interface i : ns.interfaces()) {
            String name = i.name() + (i.kind() == null || i.kind().isEmpty() ? "" : " (" + i.kind() + ")");
            ctx.out().printf("    %-22s %-12s %s%n", name, i.state(), String.join(" ", i.addresses()));
        }
    }

    private static String abbreviate(List<Long> pids) {
        List<String> shown = pids.stream().limit(8).map(String::valueOf).toList();
        return String.join(",", shown) + (pids.size() > 8 ? ",… (" + pids.size() + ")" : "");
    }

    private static Map<String, Object> toJson(Namespace ns) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Inode", ns.inode());
        m.put("Names", ns.names());
        m.put("Path", ns.path());
        m.put("Pids", ns.pids());
        m.put("Interfaces", ns.interfaces().stream().map(NetnsCommand::toJson).toList());
        if (ns.error() != null) m.put("Error", ns.error());
        return m;
    }

    private static Map<String, Object> toJson(Interface i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Index", i.index());
        m.put("Name", i.name());
        m.put("Kind", i.kind() == null ? "" : i.kind());
        m.put("State", i.state());
        m.put("Mtu", i.mtu());
        m.put("Mac", i.mac() == null ? "" : i.mac());
        m.put("Addresses", i.addresses());
        return m;
    }
}
