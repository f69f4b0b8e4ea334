package dev.hutch.net.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the kernel sends back: splits a received buffer into messages and decodes the ones
 * hutch asks for (links, addresses, errors). Pure functions over bytes, tested on fixtures.
 */
public final class NetlinkParser {
    private NetlinkParser() {}

    /** One message of a received buffer; {@code payload} starts after the 16-byte header. */
    public record Message(int type, int flags, int seq, ByteBuffer payload) {
        public boolean isError() { return type == Rtnl.NLMSG_ERROR; }

        public boolean isDone() { return type == Rtnl.NLMSG_DONE; }

        /** For NLMSG_ERROR: 0 for an ack, otherwise the positive errno. */
        public int errno() { return -payload.getInt(0); }

        /** For NLMSG_ERROR with extended ack: the kernel's text (NLMSGERR_ATTR_MSG), or null. */
        public String extAckMessage() {
            if ((flags & Rtnl.NLM_F_ACK_TLVS) == 0) return null;
            // struct nlmsgerr { int error; struct nlmsghdr msg; } then, with NLM_F_CAPPED, only the header
            // of the request was echoed; without it, the whole request: its length is in the header.
            int echoed = (flags & 0x100) != 0 ? Rtnl.NLMSG_HDRLEN : payload.getInt(4);
            int start = 4 + Rtnl.align(echoed);
            if (start > payload.limit()) return null;
            Map<Integer, ByteBuffer> attrs = attributes(payload, start);
            ByteBuffer msg = attrs.get(Rtnl.NLMSGERR_ATTR_MSG);
            return msg == null ? null : cString(msg);
        }
    }

    public static List<Message> split(byte[] data, int length) {
        ByteBuffer all = ByteBuffer.wrap(data, 0, length).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int pos = 0;
        while (pos + Rtnl.NLMSG_HDRLEN <= length) {
            int len = all.getInt(pos);
            if (len < Rtnl.NLMSG_HDRLEN || pos + len > length) break; // truncated: ignore the rest
            int type = all.getShort(pos + 4) & 0xffff;
            int flags = all.getShort(pos + 6) & 0xffff;
            int seq = all.getInt(pos + 8);
            ByteBuffer payload = all.duplicate().position(pos + Rtnl.NLMSG_HDRLEN).limit(pos + len).slice()
                    .order(ByteOrder.nativeOrder());
            out.add(new Message(type, flags, seq, payload));
            pos += Rtnl.align(len);
        }
        return out;
    }

    /** Decodes an RTM_NEWLINK payload (ifinfomsg + attributes). */
    public static LinkInfo link(ByteBuffer payload) {
        int index = payload.getInt(4);
        int flags = payload.getInt(8);
        Map<Integer, ByteBuffer> a = attributes(payload, Rtnl.IFINFOMSG_LEN);
        String name = a.containsKey(Rtnl.IFLA_IFNAME) ? cString(a.get(Rtnl.IFLA_IFNAME)) : "";
        int mtu = a.containsKey(Rtnl.IFLA_MTU) ? a.get(Rtnl.IFLA_MTU).getInt(0) : 0;
        int master = a.containsKey(Rtnl.IFLA_MASTER) ? a.get(Rtnl.IFLA_MASTER).getInt(0) : 0;
        String kind = "";
        if (a.containsKey(Rtnl.IFLA_LINKINFO)) {
            ByteBuffer k = attributes(a.get(Rtnl.IFLA_LINKINFO), 0).get(Rtnl.IFLA_INFO_KIND);
            if (k != null) kind = cString(k);
        }
        String mac = a.containsKey(Rtnl.IFLA_ADDRESS) ? mac(a.get(Rtnl.IFLA_ADDRESS)) : "";
        return new LinkInfo(index, name, flags, mtu, master, kind, mac);
    }

    /** Decodes an RTM_NEWADDR payload (ifaddrmsg + attributes), IPv4 only. */
    public static AddressInfo address(ByteBuffer payload) {
        int prefix = payload.get(1) & 0xff;
        int index = payload.getInt(4);
        Map<Integer, ByteBuffer> a = attributes(payload, Rtnl.IFADDRMSG_LEN);
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
        ByteBuffer addr = a.containsKey(Rtnl.IFA_LOCAL) ? a.get(Rtnl.IFA_LOCAL) : a.get(Rtnl.IFA_ADDRESS);
        String text = addr == null || addr.limit() != 4 ? "" : (addr.get(0) & 0xff) + "." + (addr.get(1) & 0xff) + "."
                + (addr.get(2) & 0xff) + "." + (addr.get(3) & 0xff);
        String label = a.containsKey(Rtnl.IFA_LABEL) ? cString(a.get(Rtnl.IFA_LABEL)) : "";
        return new AddressInfo(index, text, prefix, label);
    }

    /** The attributes from {@code offset} on, by type (the nested/byte-order flag bits masked off). */
    public static Map<Integer, ByteBuffer> attributes(ByteBuffer b, int offset) {
        Map<Integer, ByteBuffer> out = new HashMap<>();
        int pos = offset;
        while (pos + 4 <= b.limit()) {
            int len = b.getShort(pos) & 0xffff;
            int type = b.getShort(pos + 2) & Rtnl.NLA_TYPE_MASK;
            if (len < 4 || pos + len > b.limit()) break;
            out.putIfAbsent(type, b.duplicate().position(pos + 4).limit(pos + len).slice().order(ByteOrder.nativeOrder()));
            pos += Rtnl.align(len);
        }
        return out;
    }

    private static String cString(ByteBuffer b) {
        int n = 0;
        while (n < b.limit() && b.get(n) != 0) n++;
        byte[] s = new byte[n];
        b.duplicate().get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static String mac(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.limit(); i++) {
            if (i > 0) sb.append(':');
            sb.append(String.format("%02x", b.get(i) & 0xff));
        }
        return sb.toString();
    }
}
