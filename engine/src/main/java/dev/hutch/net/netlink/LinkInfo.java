package dev.hutch.net.netlink;

/**
 * One network interface as an RTM_NEWLINK message describes it.
 *
 * @param kind   "bridge", "veth", ... from IFLA_LINKINFO; empty for plain devices like lo
 * @param master index of the bridge it is enslaved to, 0 if none
 * @param mac    "aa:bb:cc:dd:ee:ff", empty if the device has none
 */
public record LinkInfo(int index, String name, int flags, int mtu, int master, String kind, String mac) {
    public boolean isUp() { return (flags & Rtnl.IFF_UP) != 0; }

    public boolean isLowerUp() { return (flags & Rtnl.IFF_LOWER_UP) != 0; }

    /** "UP", "UP,LOWER_UP" or "DOWN", for listings. */
    public String state() {
        if (!isUp()) return "DOWN";
        return isLowerUp() ? "UP,LOWER_UP" : "UP";
    }
}
