package dev.hutch.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc/PID/stat}. Pure parsing over text is in {@link #parse}; the comm field may
 * contain spaces and parentheses, so fields are counted from the last ')'.
 */
public record ProcStat(long pid, String comm, char state, long ppid, long startTime) {

    public static ProcStat parse(String text) {
        int open = text.indexOf('('), close = text.lastIndexOf(')');
        if (open < 0 || close < open) throw new IllegalArgumentException("not a /proc/PID/stat line: " + text);
        long pid = Long.parseLong(text.substring(0, open).trim());
        String comm = text.substring(open + 1, close);
        String[] f = text.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); field N is f[N-3]. ppid is field 4, starttime field 22.
        return new ProcStat(pid, comm, f[0].charAt(0), Long.parseLong(f[1]), Long.parseLong(f[19]));
    }

    /** The process's stat, or null if it does not exist (or is gone while we read). */
    public static ProcStat read(Path procRoot, long pid) {
        if (pid <= 0) return null;
        try {
            return parse(Files.readString(procRoot.resolve(Long.toString(pid)).resolve("stat")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** True if the pid exists, is not a zombie, and started at {@code startTime} (not a reused pid). */
    public static boolean isAlive(Path procRoot, long pid, long startTime) {
        ProcStat s = read(procRoot, pid);
        return s != null && s.state != 'Z' && s.state != 'X' && (startTime == 0 || s.startTime == startTime);
    }
}
