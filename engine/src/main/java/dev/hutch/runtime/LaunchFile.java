package dev.hutch.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The text the native helper reads (docs/helper-protocol.md): one {@code key value} pair a line,
 * values escaped so that a newline or backslash in an argument or env value survives.
 */
public final class LaunchFile {
    public static final int VERSION = 2;
    private final List<String> lines = new ArrayList<>();

    public LaunchFile() { put("version", Integer.toString(VERSION)); }

    public LaunchFile put(String key, String value) {
        if (value == null) return this;
        lines.add(key + " " + escape(value));
        return this;
    }

    public LaunchFile put(String key, boolean value) { return put(key, value ? "1" : "0"); }

    public LaunchFile put(String key, long value) { return put(key, Long.toString(value)); }

    public LaunchFile putAll(String key, List<String> values) {
        for (String v : values) put(key, v);
        return this;
    }

    public List<String> lines() { return List.copyOf(lines); }

    /** Whether a line of this key is in the file. */
    public boolean has(String key) {
        return lines.stream().anyMatch(l -> l.startsWith(key + " ") || l.equals(key));
    }

    /** Drops every line of a key (e.g. idmap_layer when the layers are chown-copies instead). */
    public LaunchFile without(String key) {
        lines.removeIf(l -> l.startsWith(key + " ") || l.equals(key));
        return this;
    }

    public String render() { return String.join("\n", lines) + "\n"; }

    /** Reads a launch file back: every value of every key, in order (for exec, which reuses the env). */
    public static java.util.Map<String, List<String>> parse(String text) {
        java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) continue;
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(sp < 0 ? "" : unescape(line.substring(sp + 1)));
        }
        return out;
    }

    static String unescape(String v) {
        StringBuilder sb = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length()) {
                char n = v.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String escape(String v) {
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
