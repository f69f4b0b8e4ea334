package dev.hutch.net;

import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.nat.NatPlanner;
import dev.hutch.spec.PortMapping;

import java.util.ArrayList;
import java.util.List;

/**
 * The published ports the container's monitor serves on {@code [::1]}. Linux has no
 * {@code route_localnet} for IPv6: a connection from {@code ::1} DNAT'd into a container never
 * completes (the reply to {@code ::1} is dropped on the bridge). So, like docker's userland proxy,
 * the monitor listens on {@code [::1]:HOSTPORT} in the host's namespace and copies each connection
 * to the container's address. Served: TCP and UDP ports published on all addresses or on
 * {@code [::1]}, of a container on an IPv6 network (the IPv4 loopback is DNAT'd as before). UDP
 * goes through a flow per client, as in docker's proxy (see engine/src/main/c/proxy.h).
 */
public final class LoopbackProxy {
    private LoopbackProxy() {}

    /** {@code ::1} in any spelling. */
    public static boolean isLoopback6(String hostIp) {
        if (hostIp == null || !hostIp.contains(":")) return false;
        long[] a = Ipv6.parseOrNull(hostIp);
        return a != null && a[0] == 0 && a[1] == 1;
    }

    /** Whether this mapping may be served on [::1] (the network decides, see {@link #render}). */
    public static boolean wanted(PortMapping p) {
        return (p.protocol().equals("tcp") || p.protocol().equals("udp")) && (isLoopback6(p.hostIp()) || NatPlanner.isAny(p.hostIp()) && !"0.0.0.0".equals(p.hostIp()));
    }

    /**
     * The monitor's {@code proxy6_file}: one line {@code HOSTPORT TARGETIP PORT PROTOCOL} per served port of a
     * wired container (host ports chosen), to its IPv6 address. Empty without an IPv6 address.
     */
    public static String render(NetworkRecord wired) {
        if (wired.endpoints().isEmpty()) return "";
        String target = wired.endpoints().get(0).ip6();
        if (target == null) return "";
        StringBuilder out = new StringBuilder();
        for (PortMapping p : lines(wired.ports())) out.append(p.hostPort()).append(' ').append(target).append(' ')
                .append(p.containerPort()).append(' ').append(p.protocol()).append('\n');
        return out.toString();
    }

    private static List<PortMapping> lines(List<PortMapping> ports) {
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping p : ports) if (wanted(p) && out.stream().noneMatch(o -> o.hostPort() == p.hostPort() && o.protocol().equals(p.protocol())))
            out.add(p);
        return out;
    }
}
