package dev.hutch.net.netlink;

/**
 * The numbers of the rtnetlink protocol that hutch uses, with the kernel header each comes from.
 * They are ABI: they never change.
 */
public final class Rtnl {
    private Rtnl() {}

    // <linux/netlink.h>
    public static final int NLMSG_HDRLEN = 16;
    public static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3;
    public static final int NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4;
    public static final int NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200, NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400;
    public static final int NLA_F_NESTED = 0x8000;
    public static final int NLA_TYPE_MASK = ~(0x8000 | 0x4000);
    public static final int SOL_NETLINK = 270, NETLINK_EXT_ACK = 11;
    public static final int NLMSGERR_ATTR_MSG = 1;
    public static final int NLM_F_ACK_TLVS = 0x200;

    // <linux/rtnetlink.h>
    public static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
    public static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    public static final int RT_TABLE_MAIN = 254;
    public static final int RTPROT_BOOT = 3;
    public static final int RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254;
    public static final int RTN_UNICAST = 1;
    public static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5;

    // <sys/socket.h>
    public static final int AF_UNSPEC = 0, AF_INET = 2, AF_BRIDGE = 7, AF_INET6 = 10;

    // <linux/if_link.h>
    public static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_MASTER = 10;
    public static final int IFLA_PROTINFO = 12, IFLA_LINKINFO = 18, IFLA_NET_NS_PID = 19, IFLA_NET_NS_FD = 28;
    public static final int IFLA_LINK_NETNSID = 37;
    public static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2;
    public static final int IFLA_BRPORT_MODE = 4; // hairpin
    // <linux/veth.h>
    public static final int VETH_INFO_PEER = 1;

    // <linux/if.h>
    public static final int IFF_UP = 0x1, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40, IFF_LOWER_UP = 0x10000;

    // <linux/if_addr.h>
    public static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_BROADCAST = 4, IFA_FLAGS = 8;
    /** No duplicate address detection: the address is usable at once (hutch's IPAM already made it unique). */
    public static final int IFA_F_NODAD = 0x02;

    /** struct sizes */
    public static final int IFINFOMSG_LEN = 16, IFADDRMSG_LEN = 8, RTMSG_LEN = 12;

    public static int align(int len) { return (len + 3) & ~3; }
}
