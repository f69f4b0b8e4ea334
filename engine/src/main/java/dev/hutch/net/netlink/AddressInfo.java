package dev.hutch.net.netlink;

/** One IPv4 address as an RTM_NEWADDR message describes it: "10.199.0.2" with prefix 16 on link 7. */
public record AddressInfo(int index, String address, int prefixLength, String label) {
    public String cidr() { return address + "/" + prefixLength; }
}
