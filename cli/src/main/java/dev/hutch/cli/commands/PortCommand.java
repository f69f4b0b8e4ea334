package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.PortMapping;
import dev.hutch.state.ContainerState;

import java.util.List;

/** hutch port: the host addresses a running container's ports are published on (-p, -P), as docker prints them. */
public final class PortCommand implements Command {
    public String name() { return "port"; }
    public String summary() { return "List port mappings or a specific mapping for the container"; }
    public String usage() { return "port CONTAINER [PRIVATE_PORT[/PROTO]]"; }

    public Flags flags() { return new Flags(name()); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> args = a.positional();
        if (args.isEmpty() || args.size() > 2)
            throw new InvalidSpecException("CONTAINER", null, "\"hutch port\" takes a container and at most one PRIVATE_PORT[/PROTO]");
        ContainerState s = ctx.engine().inspect(args.get(0));
        // the ports as attach chose them (0 became a real one); none once it stopped, as docker
        List<PortMapping> ports = s.isRunning() && s.network() != null ? s.network().bindings() : List.of();
        if (args.size() == 1) {
            for (PortMapping p : ports) ctx.out().println(p.containerPort() + "/" + p.protocol() + " -> " + hostSide(p));
            return 0;
        }
        String want = args.get(1).contains("/") ? args.get(1) : args.get(1) + "/tcp";
        List<PortMapping> match = ports.stream().filter(p -> (p.containerPort() + "/" + p.protocol()).equals(want)).toList();
        if (match.isEmpty()) throw new HutchException(1, "No public port '" + want + "' published for " + s.name(), null); // docker exits 1
        for (PortMapping p : match) ctx.out().println(hostSide(p));
        return 0;
    }

    private static String hostSide(PortMapping p) {
        String ip = p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp().contains(":") ? "[" + p.hostIp() + "]" : p.hostIp();
        return ip + ":" + p.hostPort();
    }
}
