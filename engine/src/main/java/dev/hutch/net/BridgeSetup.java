package dev.hutch.net;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;
import dev.hutch.net.nat.NatRules;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.net.store.NetworkConfig;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The host side of a bridge network: the bridge device with the gateway address, the kernel
 * settings and the network's NAT rules. Made lazily by the first container that needs it (so a
 * reboot, which loses links but keeps /var/lib, heals itself), removed by {@code network rm}.
 */
final class BridgeSetup {
    private final NatRules nat, nat6;
    private final Sysctls sysctls;
    private final Path networksDir;

    BridgeSetup(NatRules nat, NatRules nat6, Sysctls sysctls, Path networksDir) {
        this.nat = nat;
        this.nat6 = nat6;
        this.sysctls = sysctls;
        this.networksDir = networksDir;
    }

    /** The bridge, made and configured if missing. Costs one netlink round trip when it is there. */
    LinkInfo ensure(RouteNetlink nl, NetworkConfig n) {
        Optional<LinkInfo> existing = nl.link(n.bridge());
        if (existing.isPresent() && existing.get().isUp()) return checkIsBridge(existing.get());
        // Slow path, once per bridge: serialize with other hutch processes doing the same.
        return FileLock.with(networksDir.resolve(".bridge-" + n.bridge() + ".lock"), () -> {
            Optional<LinkInfo> again = nl.link(n.bridge());
            if (again.isEmpty()) nl.createBridge(n.bridge(), n.mtu());
            LinkInfo br = checkIsBridge(nl.requireLink(n.bridge()));
            nl.addAddressIfMissing(br.index(), n.gatewayAddress(), n.cidr().prefixLength());
            if (n.ipv6()) {
                sysctls.enableIpv6Now(n.bridge());
                nl.addAddress6IfMissing(br.index(), n.gateway6Address(), n.cidr6().prefixLength());
            }
            nl.setUp(br.index());
            sysctls.enableForwarding();
            sysctls.enableRouteLocalnet(n.bridge());
            nat.ensureNetwork(n.bridge(), n.subnet());
            if (n.ipv6()) {
                sysctls.enableIpv6Forwarding();
                nat6.ensureNetwork(n.bridge(), n.subnet6());
            }
            return nl.requireLink(n.bridge());
        });
    }

    /** Deletes the bridge and the network's rules; quiet if they are gone. */
    void remove(RouteNetlink nl, NetworkConfig n) {
        nl.deleteLink(n.bridge());
        nat.removeNetwork(n.bridge());
        // only dual-stack networks have IPv6 rules: an IPv4 host without ip6tables never runs it
        if (n.ipv6()) nat6.removeNetwork(n.bridge());
    }

    private static LinkInfo checkIsBridge(LinkInfo l) {
        if (!l.kind().equals("bridge"))
            throw new HutchException("the link " + l.name() + " exists but is a " + (l.kind().isEmpty() ? "plain device" : l.kind())
                    + ", not a bridge; hutch will not touch it (set HUTCH_BRIDGE to another name)");
        return l;
    }
}
