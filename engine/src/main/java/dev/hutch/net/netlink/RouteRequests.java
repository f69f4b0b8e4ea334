package dev.hutch.net.netlink;

import static dev.hutch.net.netlink.Rtnl.*;

/**
 * The rtnetlink requests hutch sends, as pure functions to message builders (what {@code ip link},
 * {@code ip addr} and {@code ip route} send for the same command). The socket adds the sequence
 * number. Unit-tested byte for byte.
 */
public final class RouteRequests {
    private RouteRequests() {}

    /** {@code ip link add NAME type bridge} (fails with EEXIST if it is there). */
    public static NetlinkMessage newBridge(String name, int mtu) {
        NetlinkMessage m = NetlinkMessage.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)
                .string(IFLA_IFNAME, name);
        if (mtu > 0) m.u32(IFLA_MTU, mtu);
        return m.begin(IFLA_LINKINFO).string(IFLA_INFO_KIND, "bridge").end();
    }

    /**
     * {@code ip link add HOST mtu M [master BRIDGE] [up] type veth peer name PEER address MAC netns PID|FD [up]}:
     * the peer is born in the target namespace under its final name, so it never appears on the
     * host; with {@code masterIndex} and {@code up}, the host end is enslaved and up in this one
     * message (the kernel applies IFLA_MASTER and the ifinfomsg flags on creation), which saves two
     * round trips on every container start. The peer cannot be brought up here: the kernel
     * configures it before the pair is linked and refuses with ENOTCONN.
     *
     * @param peerNetns   a pid (when {@code byFd} is false) or an open namespace fd
     * @param peerMac     6 bytes, or null to let the kernel pick
     * @param masterIndex the bridge to enslave the host end to, 0 for none
     */
    public static NetlinkMessage newVeth(String hostName, String peerName, int mtu, int peerNetns, boolean byFd,
                                         byte[] peerMac, int masterIndex, boolean up) {
        int flags = up ? IFF_UP : 0, change = up ? IFF_UP : 0;
        NetlinkMessage m = NetlinkMessage.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
                .ifinfomsg(AF_UNSPEC, 0, flags, change)
                .string(IFLA_IFNAME, hostName);
        if (mtu > 0) m.u32(IFLA_MTU, mtu);
        if (masterIndex > 0) m.u32(IFLA_MASTER, masterIndex);
        m.begin(IFLA_LINKINFO).string(IFLA_INFO_KIND, "veth")
                .begin(IFLA_INFO_DATA)
                .begin(VETH_INFO_PEER)
                .ifinfomsg(AF_UNSPEC, 0, 0, 0)   // the peer's own ifinfomsg comes before its attributes
                .string(IFLA_IFNAME, peerName);
        if (mtu > 0) m.u32(IFLA_MTU, mtu);
        if (peerMac != null) m.bytes(IFLA_ADDRESS, peerMac);
        m.u32(byFd ? IFLA_NET_NS_FD : IFLA_NET_NS_PID, peerNetns);
        return m.end().end().end();
    }

    /** {@code ip link set dev INDEX [master M] up}: master 0 leaves the master alone, -1 detaches. */
    public static NetlinkMessage setLink(int index, boolean up, int masterIndex, int mtu) {
        NetlinkMessage m = NetlinkMessage.request(RTM_NEWLINK, 0)
                .ifinfomsg(AF_UNSPEC, index, up ? IFF_UP : 0, IFF_UP);
        if (masterIndex > 0) m.u32(IFLA_MASTER, masterIndex);
        if (masterIndex < 0) m.u32(IFLA_MASTER, 0);
        if (mtu > 0) m.u32(IFLA_MTU, mtu);
        return m;
    }

    /** {@code bridge link set dev INDEX hairpin on}: lets a container reach itself through a published port. */
    public static NetlinkMessage setHairpin(int index, boolean on) {
        return NetlinkMessage.request(RTM_SETLINK, 0)
                .ifinfomsg(AF_BRIDGE, index, 0, 0)
                .begin(IFLA_PROTINFO, true).u8(IFLA_BRPORT_MODE, on ? 1 : 0).end();
    }

    /** {@code ip link del dev INDEX} */
    public static NetlinkMessage delLink(int index) {
        return NetlinkMessage.request(RTM_DELLINK, 0).ifinfomsg(AF_UNSPEC, index, 0, 0);
    }

    /** {@code ip link show dev NAME}: answered with one RTM_NEWLINK, or ENODEV. */
    public static NetlinkMessage getLink(String name) {
        return NetlinkMessage.raw(RTM_GETLINK, NLM_F_REQUEST).ifinfomsg(AF_UNSPEC, 0, 0, 0).string(IFLA_IFNAME, name);
    }

    /** {@code ip link show}: a multi-part dump of every link in the socket's namespace. */
    public static NetlinkMessage dumpLinks() {
        return NetlinkMessage.raw(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP).ifinfomsg(AF_UNSPEC, 0, 0, 0);
    }

    /** {@code ip -4 addr show}: a dump of every IPv4 address. */
    public static NetlinkMessage dumpAddresses() {
        return NetlinkMessage.raw(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP).ifaddrmsg(AF_INET, 0, 0, 0);
    }

    /** {@code ip addr add A/PREFIX brd B dev INDEX} (IPv4; the broadcast is derived like {@code brd +}). */
    public static NetlinkMessage newAddress(int index, int address, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        NetlinkMessage m = NetlinkMessage.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
                .ifaddrmsg(AF_INET, prefixLength, RT_SCOPE_UNIVERSE, index)
                .bytes(IFA_LOCAL, ipv4(address))
                .bytes(IFA_ADDRESS, ipv4(address));
        if (prefixLength < 31) m.bytes(IFA_BROADCAST, ipv4(address | ~mask));
        return m;
    }

    /** {@code ip route add default via GATEWAY dev INDEX} */
    public static NetlinkMessage newDefaultRoute(int gateway, int index) {
        return NetlinkMessage.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL)
                .rtmsg(AF_INET, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .bytes(RTA_GATEWAY, ipv4(gateway))
                .u32(RTA_OIF, index);
    }

    /** {@code ip -6 addr add A/PREFIX dev INDEX nodad}: usable at once, no duplicate address detection. */
    public static NetlinkMessage newAddress6(int index, byte[] address, int prefixLength) {
        return NetlinkMessage.request(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL)
                .ifaddrmsg(AF_INET6, prefixLength, RT_SCOPE_UNIVERSE, index)
                .bytes(IFA_LOCAL, address)
                .bytes(IFA_ADDRESS, address)
                .u32(IFA_FLAGS, IFA_F_NODAD);
    }

    /** {@code ip -6 route add default via GATEWAY dev INDEX} */
    public static NetlinkMessage newDefaultRoute6(byte[] gateway, int index) {
        return NetlinkMessage.request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL)
                .rtmsg(AF_INET6, 0, RT_TABLE_MAIN, RTPROT_BOOT, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .bytes(RTA_GATEWAY, gateway)
                .u32(RTA_OIF, index);
    }

    /** An IPv4 address as the kernel wants it in attributes: network byte order. */
    public static byte[] ipv4(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }
}
