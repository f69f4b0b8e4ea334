package dev.hutch.net.ipam;

import dev.hutch.spec.InvalidSpecException;

/**
 * An IPv4 subnet such as 10.199.0.0/16: its network address, size, and the addresses hutch may hand
 * out in it (every one but the network and broadcast addresses).
 */
public record Cidr(int network, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix " + prefixLength);
        network = network & mask(prefixLength);
    }

    /**
     * Parses "A.B.C.D/N". Host bits must be zero ("10.1.2.3/24" is refused, as docker does),
     * because a user who wrote it probably meant something else.
     *
     * @param field the flag the text came from, for the error message
     */
    public static Cidr parse(String field, String text) {
        if (text == null || !text.contains("/"))
            throw new InvalidSpecException(field, text, "is not a subnet in CIDR form (try 10.200.1.0/24)");
        String[] parts = text.split("/", 2);
        Integer addr = Ipv4.parseOrNull(parts[0]);
        if (addr == null) throw new InvalidSpecException(field, text, "has a bad address \"" + parts[0] + "\" (try 10.200.1.0/24)");
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 32) throw new InvalidSpecException(field, text, "has a bad prefix length (0 to 32)");
        Cidr c = new Cidr(addr, prefix);
        if (c.network != addr)
            throw new InvalidSpecException(field, text, "has host bits set (did you mean " + c + "?)");
        return c;
    }

    public static int mask(int prefixLength) { return prefixLength == 0 ? 0 : -1 << (32 - prefixLength); }

    public int mask() { return mask(prefixLength); }

    public int broadcast() { return network | ~mask(); }

    public long size() { return 1L << (32 - prefixLength); }

    /** First address to hand out (network + 1). */
    public int firstHost() { return network + 1; }

    /** Last address to hand out (broadcast - 1). */
    public int lastHost() { return broadcast() - 1; }

    /** True if a container may use the address: inside, and neither network nor broadcast. */
    public boolean isHost(int address) {
        return contains(address) && address != network && address != broadcast();
    }

    public boolean contains(int address) { return (address & mask()) == network; }

    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        int m = mask(shorter);
        return (network & m) == (other.network & m);
    }

    @Override
    public String toString() { return Ipv4.format(network) + "/" + prefixLength; }
}
