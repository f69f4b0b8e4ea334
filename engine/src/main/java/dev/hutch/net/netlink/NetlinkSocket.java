package dev.hutch.net.netlink;

import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;

import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket in the network namespace of the thread that opened it (a socket keeps the
 * namespace it was created in, even if the thread moves later). One request at a time: send, then
 * read until the kernel's ack, error or end of dump for that sequence number. Not thread-safe.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int NETLINK_CAP_ACK = 10;
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final Syscalls sys;
    private final int fd;
    private int seq;

    public NetlinkSocket(Syscalls sys) {
        this.sys = sys;
        this.fd = sys.socket(Syscalls.AF_NETLINK, Syscalls.SOCK_RAW | Syscalls.SOCK_CLOEXEC, Syscalls.NETLINK_ROUTE);
        this.seq = (int) (System.nanoTime() & 0x3fffffff);
        try {
            // Extended acks carry the kernel's own words for an error ("Invalid MTU", ...);
            // capped acks keep the error reply short. Both exist since 4.12; on failure we just do without.
            sys.setsockoptInt(fd, Rtnl.SOL_NETLINK, Rtnl.NETLINK_EXT_ACK, 1);
            sys.setsockoptInt(fd, Rtnl.SOL_NETLINK, NETLINK_CAP_ACK, 1);
        } catch (SyscallException ignored) {
            // older kernel: plain errno only
        }
    }

    /** Sends a request built with {@link NetlinkMessage#request} and waits for its ack. */
    public void ack(String what, NetlinkMessage request) {
        exchange(what, request, false);
    }

    /** Sends a get (answered with one message) and returns that message. */
    public NetlinkParser.Message get(String what, NetlinkMessage request) {
        List<NetlinkParser.Message> got = exchange(what, request, false);
        if (got.isEmpty()) throw new NetlinkException(what, SyscallException.EINVAL, "no answer");
        return got.get(0);
    }

    /** Sends a dump request and returns every data message until NLMSG_DONE. */
    public List<NetlinkParser.Message> dump(String what, NetlinkMessage request) {
        return exchange(what, request, true);
    }

    private List<NetlinkParser.Message> exchange(String what, NetlinkMessage request, boolean dump) {
        int mySeq = ++seq;
        byte[] bytes = request.build(mySeq);
        sys.send(fd, bytes, bytes.length);
        List<NetlinkParser.Message> data = new ArrayList<>();
        while (true) {
            byte[] buf = new byte[RECEIVE_BUFFER];
            int n = sys.recv(fd, buf);
            if (n <= 0) throw new NetlinkException(what, SyscallException.EINVAL, "the netlink socket closed");
            for (NetlinkParser.Message m : NetlinkParser.split(buf, n)) {
                if (m.seq() != mySeq) continue; // a late answer to an earlier request: not ours
                if (m.isError()) {
                    if (m.errno() != 0) throw new NetlinkException(what, m.errno(), m.extAckMessage());
                    return data; // the ack
                }
                if (m.isDone()) return data;
                data.add(m);
                if (!dump && (m.flags() & Rtnl.NLM_F_MULTI) == 0) return data;
            }
        }
    }

    @Override
    public void close() {
        sys.close(fd);
    }
}
