package dev.hutch.net.ipam;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/** IPv6 addresses as two longs (high and low 64 bits), parsed and printed in RFC 5952's short form. */
public final class Ipv6 {
    private Ipv6() {}

    /** Parses an IPv6 literal; null if the text is not one. Never resolves a name. */
    public static long[] parseOrNull(String text) {
        if (text == null || text.isEmpty() || !text.contains(":") || !text.matches("[0-9a-fA-F:.]+")) return null;
        try {
            InetAddress a = InetAddress.getByName(text); // a literal: no lookup
            if (!(a instanceof Inet6Address)) return null;
            ByteBuffer b = ByteBuffer.wrap(a.getAddress());
            return new long[] {b.getLong(), b.getLong()};
        } catch (UnknownHostException e) {
            return null;
        }
    }

    public static long[] parse(String text) {
        long[] v = parseOrNull(text);
        if (v == null) throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address");
        return v;
    }

    public static byte[] bytes(long[] a) {
        return ByteBuffer.allocate(16).putLong(a[0]).putLong(a[1]).array();
    }

    /** The shortest form: lower case, the longest run of two or more zero groups as "::". */
    public static String format(long[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 4; i++) {
            g[i] = (int) (a[0] >>> (48 - 16 * i)) & 0xffff;
            g[4 + i] = (int) (a[1] >>> (48 - 16 * i)) & 0xffff;
        }
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** Normalizes an IPv6 literal to the short form, or returns null if it is not one. */
    public static String normalize(String text) {
        long[] v = parseOrNull(text);
        return v == null ? null : format(v);
    }
}
