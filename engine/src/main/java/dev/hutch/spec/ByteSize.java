package dev.hutch.spec;

import java.util.Locale;

/** Parses and prints docker-style sizes: {@code 512}, {@code 64k}, {@code 64m}, {@code 1.5g}, {@code 1GiB}. */
public final class ByteSize {
    private ByteSize() {}

    public static final long KIB = 1024L, MIB = KIB * 1024, GIB = MIB * 1024, TIB = GIB * 1024;

    /** @param field the flag name used in the error, e.g. {@code --memory} */
    public static long parse(String field, String text) {
        if (text == null || text.isBlank()) throw new InvalidSpecException(field, text, "is not a size (try 64m, 1g)");
        String t = text.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
        String num = t.substring(0, i), unit = t.substring(i).trim();
        long mult = switch (unit) {
            case "", "b" -> 1;
            case "k", "kb", "kib" -> KIB;
            case "m", "mb", "mib" -> MIB;
            case "g", "gb", "gib" -> GIB;
            case "t", "tb", "tib" -> TIB;
            default -> -1;
        };
        if (num.isEmpty() || mult < 0) throw new InvalidSpecException(field, text, "is not a size (try 64m, 1g)");
        try {
            double v = Double.parseDouble(num);
            double bytes = v * mult;
            if (bytes > Long.MAX_VALUE) throw new InvalidSpecException(field, text, "is too large");
            return (long) bytes;
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(field, text, "is not a size (try 64m, 1g)");
        }
    }

    /** Human form with binary units, e.g. {@code 64MiB}, {@code 1.5GiB}, as docker stats prints. */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        if (u == 0) return bytes + "B";
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("\\.?0+$", "");
        return s + units[u];
    }
}
