package dev.hutch.net.nat;

import dev.hutch.spec.PortMapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Plans hutch's iptables rules, as pure functions from a network or a container to rules.
 *
 * <p>Everything lives in hutch's own chains, reached by one jump each from the built-in chains:
 * <pre>
 * nat    PREROUTING  -m addrtype --dst-type LOCAL -j HUTCH-DNAT   published ports, from outside
 * nat    OUTPUT      -m addrtype --dst-type LOCAL -j HUTCH-DNAT   published ports, from the host itself (incl. 127.0.0.1)
 * nat    POSTROUTING -j HUTCH-POSTROUTING                         outbound masquerade, localhost and hairpin
 * filter FORWARD     -j HUTCH-FORWARD (inserted first)            accept container traffic
 * </pre>
 * Every rule carries a comment: {@code hutch:<container id>} for a container's ports,
 * {@code hutch-net:<bridge>} for a network's own rules, {@code hutch-hook} for the jumps. Removal
 * finds rules by comment, so it is exact and needs nothing but the id.
 *
 * <p>The IPv6 ruleset of a dual-stack network has the same chains, hooks and comments, in
 * ip6tables ({@code ipv6} true below): host routes are /128, DNAT targets {@code [addr]:port},
 * and there is no loopback masquerade, because Linux has no {@code route_localnet} for IPv6:
 * a connection from {@code ::1} cannot be DNAT'd to a container (the reply, addressed to
 * {@code ::1}, is dropped when it comes in on the bridge).
 */
public final class NatPlanner {
    public static final String DNAT_CHAIN = "HUTCH-DNAT";
    public static final String POSTROUTING_CHAIN = "HUTCH-POSTROUTING";
    public static final String FORWARD_CHAIN = "HUTCH-FORWARD";
    public static final String HOOK_COMMENT = "hutch-hook";

    /** The chains: table and name. */
    public static final List<String[]> CHAINS = List.of(
            new String[] {"nat", DNAT_CHAIN}, new String[] {"nat", POSTROUTING_CHAIN}, new String[] {"filter", FORWARD_CHAIN});

    private NatPlanner() {}

    public static String containerComment(String containerId) { return "hutch:" + containerId; }

    /** Keyed by the bridge device, whose name is unique on the host (network names are per engine). */
    public static String networkComment(String bridge) { return "hutch-net:" + bridge; }

    /** The jumps from the built-in chains into hutch's chains. */
    public static List<IptablesRule> hooks() {
        return List.of(
                IptablesRule.append("nat", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL",
                        "-m", "comment", "--comment", HOOK_COMMENT, "-j", DNAT_CHAIN),
                IptablesRule.append("nat", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL",
                        "-m", "comment", "--comment", HOOK_COMMENT, "-j", DNAT_CHAIN),
                IptablesRule.append("nat", "POSTROUTING", "-m", "comment", "--comment", HOOK_COMMENT,
                        "-j", POSTROUTING_CHAIN),
                // inserted, not appended: a distribution's FORWARD chain often ends in a DROP or REJECT
                IptablesRule.insert("filter", "FORWARD", "-m", "comment", "--comment", HOOK_COMMENT,
                        "-j", FORWARD_CHAIN));
    }

    /**
     * A network's own rules: masquerade of its subnet going anywhere but its bridge (outbound),
     * masquerade of 127.0.0.0/8 going into the bridge (so a port published on 127.0.0.1 answers from
     * the host: the DNAT'd packet still carries source 127.0.0.1, which the container cannot answer),
     * and forwarding: within the bridge, out of it, and replies back in; other hutch bridges are
     * refused (network isolation, as docker does).
     */
    public static List<IptablesRule> networkRules(String bridge, String subnet) {
        return networkRules(bridge, subnet, false);
    }

    public static List<IptablesRule> networkRules(String bridge, String subnet, boolean ipv6) {
        String c = networkComment(bridge);
        List<IptablesRule> out = new ArrayList<>();
        out.add(IptablesRule.append("nat", POSTROUTING_CHAIN, "-s", subnet, "!", "-o", bridge,
                "-m", "comment", "--comment", c, "-j", "MASQUERADE"));
        if (!ipv6)
            out.add(IptablesRule.append("nat", POSTROUTING_CHAIN, "-s", "127.0.0.0/8", "-o", bridge,
                    "-m", "comment", "--comment", c, "-j", "MASQUERADE"));
        out.addAll(List.of(
                IptablesRule.append("filter", FORWARD_CHAIN, "-i", bridge, "-o", bridge,
                        "-m", "comment", "--comment", c, "-j", "ACCEPT"),
                IptablesRule.append("filter", FORWARD_CHAIN, "-o", bridge, "-m", "conntrack", "--ctstate",
                        "RELATED,ESTABLISHED", "-m", "comment", "--comment", c, "-j", "ACCEPT"),
                IptablesRule.append("filter", FORWARD_CHAIN, "-i", bridge, "-o", "hutch+",
                        "-m", "comment", "--comment", c, "-j", "DROP"),
                IptablesRule.append("filter", FORWARD_CHAIN, "-i", bridge,
                        "-m", "comment", "--comment", c, "-j", "ACCEPT")));
        return out;
    }

    /**
     * A container's published ports. Per port: the DNAT from the host port; a hairpin masquerade
     * so the container can reach itself through the host port; and a forward accept that goes
     * before the network's isolation drop (so containers of other networks reach published ports,
     * as with docker).
     *
     * @param ports with the host port already chosen (never 0 here)
     */
    public static List<IptablesRule> containerRules(String containerId, String ip, String bridge, List<PortMapping> ports) {
        return containerRules(containerId, ip, bridge, ports, false);
    }

    public static List<IptablesRule> containerRules(String containerId, String ip, String bridge, List<PortMapping> ports,
                                                    boolean ipv6) {
        String c = containerComment(containerId);
        String host = ipv6 ? "/128" : "/32", target = ipv6 ? "[" + ip + "]" : ip;
        List<IptablesRule> out = new ArrayList<>();
        for (PortMapping p : ports) {
            if (p.hostPort() == 0) throw new IllegalArgumentException("host port not chosen yet: " + p);
            String proto = p.protocol();
            List<String> dnat = new ArrayList<>();
            if (!isAny(p.hostIp())) dnat.addAll(List.of("-d", p.hostIp() + host));
            // ::1 is left to the monitor's proxy: a DNAT'd connection from ::1 never completes
            else if (ipv6) dnat.addAll(List.of("!", "-d", "::1/128"));
            dnat.addAll(List.of("-p", proto, "-m", proto, "--dport", Integer.toString(p.hostPort()),
                    "-m", "comment", "--comment", c, "-j", "DNAT", "--to-destination", target + ":" + p.containerPort()));
            out.add(new IptablesRule("nat", "-A", DNAT_CHAIN, dnat));
            out.add(IptablesRule.append("nat", POSTROUTING_CHAIN, "-s", ip + host, "-d", ip + host, "-p", proto,
                    "-m", proto, "--dport", Integer.toString(p.containerPort()),
                    "-m", "comment", "--comment", c, "-j", "MASQUERADE"));
            out.add(IptablesRule.insert("filter", FORWARD_CHAIN, "-d", ip + host, "-o", bridge, "-p", proto,
                    "-m", proto, "--dport", Integer.toString(p.containerPort()),
                    "-m", "comment", "--comment", c, "-j", "ACCEPT"));
        }
        return out;
    }

    /** A host address meaning "every address": empty, 0.0.0.0 or :: (docker's forms). */
    public static boolean isAny(String hostIp) {
        return hostIp == null || hostIp.isEmpty() || hostIp.equals("0.0.0.0") || hostIp.equals("::");
    }

    /**
     * Whether a port published on this host address gets rules in this family: an IPv4 address
     * only in iptables, an IPv6 one only in ip6tables, "all addresses" in both (as docker binds
     * {@code 0.0.0.0} and {@code [::]} for {@code -p 8080:80}); {@code 0.0.0.0} itself stays IPv4.
     */
    public static boolean inFamily(String hostIp, boolean ipv6) {
        if (hostIp == null || hostIp.isEmpty()) return true;
        return hostIp.contains(":") == ipv6;
    }

    /** An {@code iptables-restore --noflush} script that applies the rules, grouped by table. */
    public static String restoreScript(List<IptablesRule> rules) {
        StringBuilder sb = new StringBuilder();
        for (String table : List.of("nat", "filter")) {
            List<IptablesRule> mine = rules.stream().filter(r -> r.table().equals(table)).toList();
            if (mine.isEmpty()) continue;
            sb.append('*').append(table).append('\n');
            for (IptablesRule r : mine) sb.append(r.restoreLine()).append('\n');
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }
}
