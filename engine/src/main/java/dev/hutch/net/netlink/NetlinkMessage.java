package dev.hutch.net.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds one netlink message: the 16-byte header, a family struct ({@code ifinfomsg},
 * {@code ifaddrmsg}, {@code rtmsg}) and attributes, nested where asked. Pure code over a byte
 * buffer in host byte order (netlink is host-endian), unit-tested byte for byte.
 *
 * <pre>
 * NetlinkMessage.request(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL)
 *     .ifinfomsg(AF_UNSPEC, 0, 0, 0)
 *     .string(IFLA_IFNAME, "hutch0")
 *     .begin(IFLA_LINKINFO).string(IFLA_INFO_KIND, "bridge").end()
 *     .build(seq);
 * </pre>
 */
public final class NetlinkMessage {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> open = new ArrayDeque<>();

    private NetlinkMessage() {}

    /** A request that the kernel acknowledges ({@code NLM_F_REQUEST | NLM_F_ACK | extra}). */
    public static NetlinkMessage request(int type, int extraFlags) {
        return raw(type, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK | extraFlags);
    }

    /** A header with exactly these flags, e.g. a dump or a get that answers with data instead of an ack. */
    public static NetlinkMessage raw(int type, int flags) {
        NetlinkMessage m = new NetlinkMessage();
        m.buf.putInt(0);               // nlmsg_len, patched by build()
        m.buf.putShort((short) type);
        m.buf.putShort((short) flags);
        m.buf.putInt(0);               // nlmsg_seq, patched by build()
        m.buf.putInt(0);               // nlmsg_pid: 0 lets the kernel fill in our port
        return m;
    }

    /** {@code struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; }} */
    public NetlinkMessage ifinfomsg(int family, int index, int flags, int change) {
        ensure(Rtnl.IFINFOMSG_LEN);
        buf.put((byte) family).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        return this;
    }

    /** {@code struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; }} */
    public NetlinkMessage ifaddrmsg(int family, int prefixLength, int scope, int index) {
        ensure(Rtnl.IFADDRMSG_LEN);
        buf.put((byte) family).put((byte) prefixLength).put((byte) 0).put((byte) scope).putInt(index);
        return this;
    }

    /** {@code struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; }} */
    public NetlinkMessage rtmsg(int family, int dstLength, int table, int protocol, int scope, int type) {
        ensure(Rtnl.RTMSG_LEN);
        buf.put((byte) family).put((byte) dstLength).put((byte) 0).put((byte) 0)
                .put((byte) table).put((byte) protocol).put((byte) scope).put((byte) type).putInt(0);
        return this;
    }

    public NetlinkMessage bytes(int type, byte[] value) {
        int len = 4 + value.length;
        ensure(Rtnl.align(len));
        buf.putShort((short) len).putShort((short) type).put(value);
        pad();
        return this;
    }

    public NetlinkMessage u8(int type, int value) { return bytes(type, new byte[] {(byte) value}); }

    public NetlinkMessage u32(int type, int value) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    /** A NUL-terminated string, as the kernel expects for names and kinds. */
    public NetlinkMessage string(int type, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return bytes(type, Arrays.copyOf(s, s.length + 1));
    }

    /** Starts a nested attribute; {@link #end()} closes it and writes its length. */
    public NetlinkMessage begin(int type) {
        return begin(type, false);
    }

    /** As {@link #begin(int)}, with {@code NLA_F_NESTED} set (some families insist on it, e.g. IFLA_PROTINFO for bridges). */
    public NetlinkMessage begin(int type, boolean nestedFlag) {
        ensure(4);
        open.push(buf.position());
        buf.putShort((short) 0).putShort((short) (nestedFlag ? type | Rtnl.NLA_F_NESTED : type));
        return this;
    }

    public NetlinkMessage end() {
        int start = open.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished message with its length and sequence number filled in. */
    public byte[] build(int seq) {
        if (!open.isEmpty()) throw new IllegalStateException("unclosed nested attribute");
        int len = buf.position();
        buf.putInt(0, len);
        buf.putInt(8, seq);
        return Arrays.copyOf(buf.array(), len);
    }

    private void pad() {
        while ((buf.position() & 3) != 0) buf.put((byte) 0);
    }

    private void ensure(int more) {
        if (buf.remaining() >= more) return;
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more)).order(buf.order());
        buf.flip();
        bigger.put(buf);
        buf = bigger;
    }
}
