package dev.hutch.net.netlink;

import dev.hutch.net.ipam.Ipv4;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The link, address and route operations hutch needs, in {@code ip}'s vocabulary, over one netlink
 * socket. It works in the network namespace of the thread that created it: the host's, or a
 * container's when made inside {@link dev.hutch.net.netns.InNetns}.
 */
public final class RouteNetlink implements AutoCloseable {
    private final NetlinkSocket socket;

    public RouteNetlink(Syscalls sys) { this.socket = new NetlinkSocket(sys); }

    public Optional<LinkInfo> link(String name) {
        try {
            return Optional.of(NetlinkParser.link(socket.get("look up link " + name, RouteRequests.getLink(name)).payload()));
        } catch (NetlinkException e) {
            if (e.errno() == SyscallException.ENODEV) return Optional.empty();
            throw e;
        }
    }

    public LinkInfo requireLink(String name) {
        return link(name).orElseThrow(() -> new NetlinkException("look up link " + name, SyscallException.ENODEV, null));
    }

    public List<LinkInfo> links() {
        List<LinkInfo> out = new ArrayList<>();
        for (NetlinkParser.Message m : socket.dump("list links", RouteRequests.dumpLinks())) {
            if (m.type() == Rtnl.RTM_NEWLINK) out.add(NetlinkParser.link(m.payload()));
        }
        return out;
    }

    public List<AddressInfo> addresses() {
        List<AddressInfo> out = new ArrayList<>();
        for (NetlinkParser.Message m : socket.dump("list addresses", RouteRequests.dumpAddresses())) {
            if (m.type() == Rtnl.RTM_NEWADDR) out.add(NetlinkParser.address(m.payload()));
        }
        return out;
    }

    public void createBridge(String name, int mtu) {
        socket.ack("create bridge " + name, RouteRequests.newBridge(name, mtu));
    }

    /**
     * Creates a veth pair whose peer is born in the network namespace of {@code peerPid}; with a
     * {@code masterIndex} the host end is enslaved to that bridge, and both ends are up.
     */
    public void createVethToPid(String hostName, String peerName, int mtu, long peerPid, byte[] peerMac, int masterIndex) {
        socket.ack("create veth " + hostName + " (peer " + peerName + " in the namespace of pid " + peerPid + ")",
                RouteRequests.newVeth(hostName, peerName, mtu, (int) peerPid, false, peerMac, masterIndex, masterIndex > 0));
    }

    /** As {@link #createVethToPid}, into the network namespace open as {@code netnsFd}. */
    public void createVethToFd(String hostName, String peerName, int mtu, int netnsFd, byte[] peerMac, int masterIndex) {
        socket.ack("create veth " + hostName + " (peer " + peerName + ")",
                RouteRequests.newVeth(hostName, peerName, mtu, netnsFd, true, peerMac, masterIndex, masterIndex > 0));
    }

    /** The loopback device's index in every network namespace (the kernel's LOOPBACK_IFINDEX). */
    public static final int LOOPBACK_INDEX = 1;

    public void setUp(int index) {
        socket.ack("set link " + index + " up", RouteRequests.setLink(index, true, 0, 0));
    }

    /** Enslaves the link to a bridge and brings it up, in one message. */
    public void setMasterAndUp(int index, int masterIndex) {
        socket.ack("attach link " + index + " to bridge " + masterIndex, RouteRequests.setLink(index, true, masterIndex, 0));
    }

    public void setHairpin(int index, boolean on) {
        socket.ack("set hairpin on link " + index, RouteRequests.setHairpin(index, on));
    }

    /** Adds an IPv4 address; an address that is already there is fine (another process may have raced us). */
    public void addAddressIfMissing(int index, int address, int prefixLength) {
        try {
            socket.ack("add address " + Ipv4.format(address) + "/" + prefixLength + " to link " + index,
                    RouteRequests.newAddress(index, address, prefixLength));
        } catch (NetlinkException e) {
            if (e.errno() != SyscallException.EEXIST) throw e;
        }
    }

    /** Adds an IPv6 address without duplicate address detection; already there is fine. */
    public void addAddress6IfMissing(int index, long[] address, int prefixLength) {
        try {
            socket.ack("add address " + Ipv6.format(address) + "/" + prefixLength + " to link " + index,
                    RouteRequests.newAddress6(index, Ipv6.bytes(address), prefixLength));
        } catch (NetlinkException e) {
            if (e.errno() != SyscallException.EEXIST) throw e;
        }
    }

    public void addDefaultRoute6(long[] gateway, int index) {
        socket.ack("add IPv6 default route via " + Ipv6.format(gateway), RouteRequests.newDefaultRoute6(Ipv6.bytes(gateway), index));
    }

    public void addDefaultRoute(int gateway, int index) {
        socket.ack("add default route via " + Ipv4.format(gateway), RouteRequests.newDefaultRoute(gateway, index));
    }

    /** Deletes a link; false if it was not there (already gone is the goal, so that is fine). */
    public boolean deleteLink(String name) {
        Optional<LinkInfo> l = link(name);
        if (l.isEmpty()) return false;
        try {
            socket.ack("delete link " + name, RouteRequests.delLink(l.get().index()));
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == SyscallException.ENODEV) return false;
            throw e;
        }
    }

    @Override
    public void close() { socket.close(); }
}
