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
            return t < 0 ? null : new LogEntry(Instant.parse(line.substring(TIME.length(), t)), "", "");
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
            Instant time = Instant.parse(line.substring(TIME.length(), t));
            String stream = line.substring(t + STREAM.length(), s);
            String text = unescape(line, s + LOG.length(), line.length() - 2);
            return text == null ? null : new LogEntry(time, stream, text);
        } catch (RuntimeException e) {
            return null;
        }
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
