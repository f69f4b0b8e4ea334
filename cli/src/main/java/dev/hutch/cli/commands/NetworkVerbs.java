package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.json.Json;
import dev.hutch.net.Networks;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.NetworkAttachment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The bodies of {@link NetworkCommand}'s subcommands: each builds a request, calls the engine, prints. */
final class NetworkVerbs {
    private final Context ctx;
    private final Networks networks;

    NetworkVerbs(Context ctx, Networks networks) {
        this.ctx = ctx;
        this.networks = networks;
    }

    int create(String name, Flags.Parsed p) {
        String driver = p.value("driver", "bridge");
        if (!driver.equals("bridge")) throw new InvalidSpecException("--driver", driver, "is not supported; hutch networks are bridges");
        NetworkConfig n = networks.create(name, p.values("subnet"), p.values("gateway"), p.intValue("mtu", 0), p.bool("ipv6"));
        ctx.engine().networkEvent("create", n.id(), n.name());
        ctx.out().println(n.id());
        return 0;
    }

    int ls(Flags.Parsed p) {
        List<NetworkConfig> all = networks.list();
        String format = p.value("format");
        if (p.bool("quiet")) {
            all.forEach(n -> ctx.out().println(shortId(n)));
        } else if (format != null) {
            for (NetworkConfig n : all) ctx.out().println(format.equals("json") ? Json.write(row(n)) : Views.template(format, row(n)));
        } else {
            Table t = new Table("NETWORK ID", "NAME", "DRIVER", "SUBNET", "GATEWAY", "BRIDGE");
            for (NetworkConfig n : all)
                t.row(shortId(n), n.name(), "bridge", n.ipv6() ? n.subnet() + "," + n.subnet6() : n.subnet(),
                        n.ipv6() ? n.gateway() + "," + n.gateway6() : n.gateway(), n.bridge());
            t.print(ctx.out());
        }
        return 0;
    }

    int inspect(List<String> refs) {
        List<Object> out = new ArrayList<>();
        int rc = each(refs, ref -> out.add(networks.inspect(resolve(ref))), false);
        ctx.out().println(Json.pretty(out));
        return rc;
    }

    int rm(List<String> refs) {
        return each(refs, ref -> {
            String name = resolve(ref);
            String id = networks.list().stream().filter(n -> n.name().equals(name)).map(NetworkConfig::id).findFirst().orElse(name);
            networks.remove(name);
            ctx.engine().networkEvent("destroy", id, name);
        }, true);
    }

    int connect(List<String> netAndContainer, Flags.Parsed p) {
        String network = resolve(netAndContainer.get(0));
        ctx.engine().connect(netAndContainer.get(1), new NetworkAttachment(network, p.values("alias"), p.value("ip"), null,
                p.value("ip6")));
        return 0;
    }

    int disconnect(List<String> netAndContainer) {
        ctx.engine().disconnect(netAndContainer.get(1), resolve(netAndContainer.get(0)));
        return 0;
    }

    /** docker's `network ls --format json` keys. */
    private static Map<String, Object> row(NetworkConfig n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", shortId(n));
        m.put("Name", n.name());
        m.put("Driver", "bridge");
        m.put("Scope", "local");
        m.put("Subnet", n.subnet());
        m.put("Gateway", n.gateway());
        m.put("IPv6", n.ipv6());
        m.put("Subnet6", n.subnet6() == null ? "" : n.subnet6());
        m.put("Gateway6", n.gateway6() == null ? "" : n.gateway6());
        m.put("Bridge", n.bridge());
        m.put("MTU", n.mtu());
        m.put("CreatedAt", n.created() == null ? "" : n.created());
        return m;
    }

    private static String shortId(NetworkConfig n) { return n.id().length() > 12 ? n.id().substring(0, 12) : n.id(); }

    /** A network by name, by full id or by a unique id prefix (what `ls -q` prints), as docker accepts. */
    private String resolve(String ref) {
        List<NetworkConfig> all = networks.list();
        for (NetworkConfig n : all) if (n.name().equals(ref) || n.id().equals(ref)) return n.name();
        List<NetworkConfig> byPrefix = all.stream().filter(n -> n.userDefined() && n.id().startsWith(ref)).toList();
        if (byPrefix.size() == 1) return byPrefix.get(0).name();
        if (byPrefix.size() > 1) throw new HutchException("network id prefix " + ref + " is ambiguous; give more of it or the name");
        throw new NotFoundException("network " + ref + " not found (see `hutch network ls`)");
    }

    /** docker's multi-argument verbs: act on each, print each as given if asked, report failures, go on. */
    private int each(List<String> refs, java.util.function.Consumer<String> action, boolean echo) {
        int rc = 0;
        for (String ref : refs) {
            try {
                action.accept(ref);
                if (echo) ctx.out().println(ref);
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        return rc;
    }
}
