package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;
import dev.hutch.net.Networks;

import java.util.List;

/**
 * hutch network create|ls|inspect|rm|connect|disconnect, with docker's flags. The verb's own flags
 * come after the subcommand, so this command takes everything after it and parses it with the
 * subcommand's flags.
 */
public final class NetworkCommand implements Command {
    private static final List<String> SUBCOMMANDS = List.of("create", "ls", "inspect", "rm", "connect", "disconnect");

    public String name() { return "network"; }
    public String summary() { return "Manage networks (create, ls, inspect, rm, connect, disconnect)"; }
    public String usage() {
        return String.join("\nhutch ", "network create [--ipv6] [--subnet CIDR]... [--gateway IP]... [--mtu N] NAME",
                "network ls [-q] [--format json|TEMPLATE]", "network inspect NETWORK [NETWORK...]", "network rm NETWORK [NETWORK...]",
                "network connect [--alias NAME] [--ip IP] [--ip6 IP6] NETWORK CONTAINER", "network disconnect NETWORK CONTAINER");
    }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    @Override
    public List<Subcommand> subcommands() { return Subcommand.fromUsageLines(name(), usage(), SUBCOMMANDS, NetworkCommand::flagsOf); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty()) throw new HutchException("\"hutch network\" needs a command: " + String.join(", ", SUBCOMMANDS));
        String sub = pos.get(0).equals("list") ? "ls" : pos.get(0).equals("remove") ? "rm" : pos.get(0);
        if (!SUBCOMMANDS.contains(sub))
            throw new HutchException("'" + pos.get(0) + "' is not a hutch network command (try: " + String.join(", ", SUBCOMMANDS) + ")");
        List<String> rest = pos.subList(1, pos.size());
        Flags flags = flagsOf(sub);
        if (rest.contains("--help")) {
            ctx.out().println("Usage:  hutch network " + sub + " [OPTIONS]\n\nOptions:\n" + flags.help());
            return 0;
        }
        Flags.Parsed p = flags.parse(rest);
        NetworkVerbs verbs = new NetworkVerbs(ctx, new Networks(ctx.engine().networking()));
        return switch (sub) {
            case "create" -> verbs.create(one(p, sub, "NAME").get(0), p);
            case "ls" -> verbs.ls(p);
            case "inspect" -> verbs.inspect(atLeastOne(p, sub));
            case "rm" -> verbs.rm(atLeastOne(p, sub));
            case "connect" -> verbs.connect(two(p, sub), p);
            default -> verbs.disconnect(two(p, sub));
        };
    }

    private static Flags flagsOf(String sub) {
        Flags f = new Flags("network " + sub);
        return switch (sub) {
            case "create" -> f.value("subnet", null, "Subnet in CIDR format, e.g. 10.210.0.0/24 (default: a free /24 from 10.200.0.0); "
                            + "once more for the IPv6 subnet of an --ipv6 network, a /64 to /120 such as fd68:7574:6368:5::/64")
                    .value("gateway", null, "Gateway of the subnet (default: its first address); once per family")
                    .bool("ipv6", null, "Dual stack: an IPv6 subnet too (default: a free /64 from fd68:7574:6368::/48), "
                            + "addresses, routes, NAT and names in both families")
                    .value("mtu", null, "MTU of the bridge and the containers' interfaces (default 1500)")
                    .value("driver", "d", "Only \"bridge\" (accepted for docker compatibility)");
            case "ls" -> f.bool("quiet", "q", "Only display network IDs").value("format", null, "json, or a template like {{.Name}}");
            case "connect" -> f.value("alias", null, "Add a network-scoped alias for the container")
                    .value("ip", null, "IPv4 address on the network (e.g. 10.210.0.20)")
                    .value("ip6", null, "IPv6 address on a network made with --ipv6 (e.g. fd68:7574:6368:1::20)");
            default -> f;
        };
    }

    private static List<String> one(Flags.Parsed p, String sub, String what) {
        if (p.positional().size() != 1) throw new HutchException("\"hutch network " + sub + "\" requires exactly 1 argument: " + what);
        return p.positional();
    }

    private static List<String> atLeastOne(Flags.Parsed p, String sub) {
        if (p.positional().isEmpty()) throw new HutchException("\"hutch network " + sub + "\" requires at least 1 argument: NETWORK...");
        return p.positional();
    }

    private static List<String> two(Flags.Parsed p, String sub) {
        if (p.positional().size() != 2) throw new HutchException("\"hutch network " + sub + "\" requires exactly 2 arguments: NETWORK CONTAINER");
        return p.positional();
    }
}
