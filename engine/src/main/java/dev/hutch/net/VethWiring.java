package dev.hutch.net;

import dev.hutch.net.ipam.Ipv4;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.net.netns.InNetns;
import dev.hutch.sys.Syscalls;

/**
 * One endpoint's kernel work: a veth pair from the bridge into the container's network namespace,
 * then, from a thread inside that namespace, the address, the links up and the default route.
 *
 * <p>Order: one message creates the pair with the peer directly in the container's namespace under
 * its final name ({@code eth0}, so it never shows on the host and needs no rename), the host end
 * enslaved to the bridge and up. Then, inside: {@code lo} up (by its fixed index), the address,
 * {@code eth0} up, the default route. Seven netlink round trips in all, counting the bridge lookup; init is
 * still waiting for {@code go}, so the container's first packet already has a path.
 *
 * <p>On a dual-stack network, before the IPv6 address: IPv6 on for the interface and duplicate
 * address detection off ({@code disable_ipv6=0}, {@code accept_dad=0} in the container's own
 * {@code /proc/sys/net}, which a thread sees for the namespace it is in), so the address is not
 * "tentative" and answers at once; then the address ({@code nodad}) and the IPv6 default route.
 */
final class VethWiring {
    private final InNetns inNetns;
    private final Sysctls sysctls;

    VethWiring(Syscalls sys, Sysctls sysctls) {
        this.inNetns = new InNetns(sys);
        this.sysctls = sysctls;
    }

    /**
     * @param defaultRoute  the IPv4 default route goes through this endpoint (the first network's)
     * @param defaultRoute6 the IPv6 default route goes through this endpoint: the first network that
     *                      has IPv6, which need not be the first network (docker picks each family's
     *                      gateway on its own, so an IPv4-only first network leaves IPv6 to a later one)
     */
    void attach(RouteNetlink host, LinkInfo bridge, Endpoint e, int mtu, String netnsPath, long pid, boolean defaultRoute,
                boolean defaultRoute6, boolean hairpin) {
        host.createVethToPid(e.hostVeth(), e.ifname(), mtu, pid, mac(e.mac()), bridge.index());
        if (hairpin) host.setHairpin(host.requireLink(e.hostVeth()).index(), true);
        inNetns.run(netnsPath, s -> {
            try (RouteNetlink inside = new RouteNetlink(s)) {
                inside.setUp(RouteNetlink.LOOPBACK_INDEX);
                LinkInfo eth = inside.requireLink(e.ifname());
                inside.addAddressIfMissing(eth.index(), Ipv4.parse(e.ip()), e.prefixLength());
                inside.setUp(eth.index());
                if (defaultRoute) inside.addDefaultRoute(Ipv4.parse(e.gateway()), eth.index());
                if (e.ip6() != null) {
                    sysctls.enableIpv6Now(e.ifname());
                    inside.addAddress6IfMissing(eth.index(), Ipv6.parse(e.ip6()), e.prefixLength6());
                    if (defaultRoute6) inside.addDefaultRoute6(Ipv6.parse(e.gateway6()), eth.index());
                }
            }
        });
    }

    /** Deleting one end of a veth pair deletes both. */
    boolean detach(RouteNetlink host, Endpoint e) {
        return host.deleteLink(e.hostVeth());
    }

    /**
     * A fixed MAC per address ({@code 02:48:} + the four address bytes, locally administered):
     * a reused address keeps its MAC, so neighbours' ARP caches stay right.
     */
    static String macFor(String ip) {
        int a = Ipv4.parse(ip);
        return String.format("02:48:%02x:%02x:%02x:%02x", a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff);
    }

    private static byte[] mac(String text) {
        if (text == null || text.isEmpty()) return null;
        String[] p = text.split(":");
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) b[i] = (byte) Integer.parseInt(p[i], 16);
        return b;
    }
}
