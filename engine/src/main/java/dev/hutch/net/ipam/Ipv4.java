package dev.hutch.net.ipam;

/** IPv4 addresses as ints (network order in the value: 10.0.0.1 is 0x0a000001). */
public final class Ipv4 {
    private Ipv4() {}

    /** Parses a dotted quad; null if the text is not one (callers turn that into their own error). */
    public static Integer parseOrNull(String text) {
        if (text == null) return null;
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) return null;
        int v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return null;
            int octet = Integer.parseInt(p);
            if (octet > 255) return null;
            v = (v << 8) | octet;
        }
        return v;
    }

    public static int parse(String text) {
        Integer v = parseOrNull(text);
        if (v == null) throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address");
        return v;
    }

    public static String format(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
    }

    public static boolean isLoopback(String text) {
        Integer v = parseOrNull(text);
        return v != null && (v >>> 24) == 127;
    }
}
