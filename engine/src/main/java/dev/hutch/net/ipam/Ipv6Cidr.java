package dev.hutch.net.ipam;

import dev.hutch.spec.InvalidSpecException;

/**
 * An IPv6 subnet of a dual-stack network, /64 to /120: the address as two 64-bit halves. The
 * prefix is at least 64 so that every host address differs from the network address only in the
 * low half, which is where {@link #hostAt} puts the IPv4 lease's offset (see {@link LeaseStore}).
 */
public record Ipv6Cidr(long high, long low, int prefixLength) {
    public static final int SHORTEST = 64, LONGEST = 120;

    public Ipv6Cidr {
        if (prefixLength < SHORTEST || prefixLength > 128) throw new IllegalArgumentException("prefix " + prefixLength);
        low = low & lowMask(prefixLength);
    }

    /** True if the text is meant as IPv6 (docker tells the families of --subnet apart the same way). */
    public static boolean looksLikeIpv6(String text) { return text != null && text.contains(":"); }

    /**
     * Parses "fd68:7574:6368:1::/64". Host bits must be zero, as for IPv4; the prefix must be
     * /64 to /120; link-local, multicast, loopback and the unspecified range are refused.
     */
    public static Ipv6Cidr parse(String field, String text) {
        if (text == null || !text.contains("/"))
            throw new InvalidSpecException(field, text, "is not an IPv6 subnet in CIDR form (try fd68:7574:6368:1::/64)");
        String[] parts = text.split("/", 2);
        long[] a = Ipv6.parseOrNull(parts[0]);
        if (a == null) throw new InvalidSpecException(field, text, "has a bad IPv6 address \"" + parts[0] + "\" (try fd68:7574:6368:1::/64)");
        int prefix;
        try {
            prefix = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > 128) throw new InvalidSpecException(field, text, "has a bad prefix length (0 to 128)");
        if (prefix < SHORTEST || prefix > LONGEST)
            throw new InvalidSpecException(field, text, "must be a /" + SHORTEST + " to /" + LONGEST
                    + " (hutch hands out IPv6 addresses in the last 64 bits; try a /64)");
        Ipv6Cidr c = new Ipv6Cidr(a[0], a[1], prefix);
        if (c.low != a[1]) throw new InvalidSpecException(field, text, "has host bits set (did you mean " + c + "?)");
        int top = (int) (a[0] >>> 48);
        if ((top & 0xffc0) == 0xfe80 || (top & 0xff00) == 0xff00 || (a[0] == 0 && (a[1] >>> 32) == 0))
            throw new InvalidSpecException(field, text, "is not a unicast subnet hutch can route (use a unique local fd00::/8 or a global prefix)");
        return c;
    }

    static long lowMask(int prefixLength) { return prefixLength == 128 ? -1L : prefixLength == 64 ? 0L : -1L << (128 - prefixLength); }

    /** How many low bits are the host part. */
    public int hostBits() { return 128 - prefixLength; }

    /** The address at this offset from the network address. */
    public long[] hostAt(long offset) { return new long[] {high, low + offset}; }

    public boolean contains(long[] address) {
        return address[0] == high && (address[1] & lowMask(prefixLength)) == low;
    }

    /** The offset of an address of this subnet from its network address. */
    public long offsetOf(long[] address) { return address[1] - low; }

    public boolean overlaps(Ipv6Cidr o) {
        if (high != o.high) return false;
        long m = lowMask(Math.min(prefixLength, o.prefixLength));
        return (low & m) == (o.low & m);
    }

    /** True if the address lies in this subnet (any prefix length of the other side is fine). */
    public boolean overlapsAddress(long[] address, int addressPrefix) {
        if (addressPrefix >= 64) {
            if (addressPrefix < prefixLength) {
                long m = lowMask(addressPrefix);
                return address[0] == high && (address[1] & m) == (low & m);
            }
            return contains(address);
        }
        long m = addressPrefix == 0 ? 0 : -1L << (64 - addressPrefix);
        return (address[0] & m) == (high & m);
    }

    @Override
    public String toString() { return Ipv6.format(new long[] {high, low}) + "/" + prefixLength; }
}
