package dev.hutch.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker's duration flags ({@code --health-interval 30s}, {@code 1m30s}, {@code 500ms}): Go's syntax, to milliseconds. */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private GoDuration() {}

    /** @throws InvalidSpecException naming {@code field} for text that is not a duration or is negative */
    public static long millis(String field, String text) {
        String t = text == null ? "" : text.trim();
        if (t.startsWith("-")) throw new InvalidSpecException(field, text, "cannot be negative (try 30s, 1m30s or 500ms)");
        if (t.equals("0")) return 0;
        Matcher m = PART.matcher(t);
        double total = 0;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            double n = Double.parseDouble(m.group(1));
            total += n * switch (m.group(2)) {
                case "ns" -> 1e-6;
                case "us", "µs" -> 1e-3;
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) throw new InvalidSpecException(field, text, "is not a duration (try 30s, 1m30s or 500ms)");
        return (long) Math.ceil(total);
    }
}
