package dev.hutch.logs;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.time.Instant;

/**
 * One line of a container's JSON-lines log, as the helper's monitor writes it. Stream "hutch"
 * is hutch's own note in the log (e.g. how many bytes were lost while the disk was full).
 */
public record LogEntry(Instant time, String stream, String text) {
    private static final String TIME = "{\"time\":\"", STREAM = "\",\"stream\":\"", LOG = "\",\"log\":\"";

    public boolean isStderr() { return "stderr".equals(stream); }

    /** hutch's own note, not the container's output: `logs` prints it on stderr. */
    public boolean isHutch() { return "hutch".equals(stream); }

    /** Parses one log line; null for a line that is not a complete entry (e.g. still being written). */
    public static LogEntry parse(String line) {
        if (line.isBlank()) return null;
        LogEntry fast = parseMonitorLine(line);
        if (fast != null) return fast;
        try {
            JsonReader r = JsonReader.of(Json.parseObject(line));
            return new LogEntry(Instant.parse(r.string("time")), r.string("stream", "stdout"), r.string("log", ""));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Only the time (and stream) of a line: for seeking, where the text is not needed. */
    static LogEntry parseTime(String line) {
        if (!line.startsWith(TIME)) return parse(line);
        int t = line.indexOf('"', TIME.length());
        try {
            return t < 0 ? null : new LogEntry(parseInstant(line, TIME.length(), t), "", "");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The monitor's own fixed layout, {"time":"T","stream":"S","log":"ESCAPED"}, without a general
     * JSON parser: streaming a large log is bound by this. Anything else falls back to the parser.
     */
    static LogEntry parseMonitorLine(String line) {
        if (!line.startsWith(TIME) || !line.endsWith("\"}")) return null;
        int t = line.indexOf(STREAM, TIME.length());
        if (t < 0) return null;
        int s = line.indexOf(LOG, t + STREAM.length());
        if (s < 0) return null;
        try {
            Instant time = parseInstant(line, TIME.length(), t);
            String stream = line.substring(t + STREAM.length(), s);
            String text = unescape(line, s + LOG.length(), line.length() - 2);
            return text == null ? null : new LogEntry(time, stream, text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The monitor's timestamp, {@code 2026-11-22T06:29:24.123456789Z}, by hand: Instant.parse
     * costs more than the rest of a line's parsing together. Any other form goes to Instant.parse.
     */
    static Instant parseInstant(String s, int from, int to) {
        int len = to - from;
        if (len < 20 || s.charAt(from + 4) != '-' || s.charAt(from + 7) != '-' || s.charAt(from + 10) != 'T'
                || s.charAt(from + 13) != ':' || s.charAt(from + 16) != ':' || s.charAt(to - 1) != 'Z')
            return Instant.parse(s.substring(from, to));
        int y = num(s, from, 4), mo = num(s, from + 5, 2), d = num(s, from + 8, 2);
        int h = num(s, from + 11, 2), mi = num(s, from + 14, 2), sec = num(s, from + 17, 2);
        int nanos = 0;
        if (len > 20) {
            if (s.charAt(from + 19) != '.' || len > 30) return Instant.parse(s.substring(from, to));
            int digits = len - 21;
            nanos = num(s, from + 20, digits);
            for (int i = digits; i < 9; i++) nanos *= 10;
        }
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || nanos < 0)
            return Instant.parse(s.substring(from, to));
        return Instant.ofEpochSecond(epochDay(y, mo, d) * 86_400L + h * 3600L + mi * 60L + sec, nanos);
    }

    private static int num(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1_000_000_000;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    private static long epochDay(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    private static String unescape(String s, int from, int to) {
        int bs = s.indexOf('\\', from);
        if (bs < 0 || bs >= to) return s.substring(from, to);
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"') return null; // an unescaped quote: not the monitor's layout
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= to) return null;
            char e = s.charAt(i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case '"', '\\', '/' -> b.append(e);
                case 'u' -> {
                    if (i + 4 >= to) return null;
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> { return null; }
            }
        }
        return b.toString();
    }
}
