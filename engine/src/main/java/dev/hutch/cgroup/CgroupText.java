package dev.hutch.cgroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure parsers of cgroupfs file formats (the kernel's cgroup-v2.rst names them), tested on
 * fixture text. Nothing here touches a file.
 */
public final class CgroupText {
    private CgroupText() {}

    /** v1 memory limits at or above this are the kernel's "unlimited" (PAGE_COUNTER_MAX pages). */
    public static final long UNLIMITED_THRESHOLD = Long.MAX_VALUE / 2;

    /** Bytes read and written, summed over devices. */
    public record ReadWrite(long readBytes, long writeBytes) {}

    /** A single value: a number, or {@code max} (v2's "no limit") as -1. */
    public static long value(String text) {
        String t = text.trim();
        if (t.equals("max")) return -1;
        return Long.parseLong(t);
    }

    /** A v1 limit where a huge number means unlimited: returned as -1. */
    public static long limit(String text) {
        long v = value(text);
        return v >= UNLIMITED_THRESHOLD ? -1 : v;
    }

    /**
     * "Flat keyed" files, one {@code key value} per line: memory.stat, cpu.stat, memory.events,
     * memory.oom_control, cgroup.events. Lines whose value is not a number are skipped.
     */
    public static Map<String, Long> flatKeyed(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 2) continue;
            try {
                out.put(f[0], Long.parseLong(f[1]));
            } catch (NumberFormatException ignored) {
                // e.g. a "max" value; no stat we read has one
            }
        }
        return out;
    }

    /** cgroup.procs: one pid per line. */
    public static List<Long> pids(String text) {
        List<Long> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.isEmpty()) out.add(Long.parseLong(t));
        }
        return out;
    }

    /**
     * v1 {@code blkio.throttle.io_service_bytes[_recursive]}: lines {@code MAJ:MIN Op bytes}
     * and a last {@code Total N}. Read and Write are summed over devices (as docker stats does).
     */
    public static ReadWrite blkioServiceBytes(String text) {
        long read = 0, write = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3) continue;
            if (f[1].equals("Read")) read += Long.parseLong(f[2]);
            else if (f[1].equals("Write")) write += Long.parseLong(f[2]);
        }
        return new ReadWrite(read, write);
    }

    /** v2 {@code io.stat}: lines {@code MAJ:MIN rbytes=N wbytes=N rios=N ...}, summed over devices. */
    public static ReadWrite ioStat(String text) {
        long read = 0, write = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                if (f[i].startsWith("rbytes=")) read += Long.parseLong(f[i].substring(7));
                else if (f[i].startsWith("wbytes=")) write += Long.parseLong(f[i].substring(7));
            }
        }
        return new ReadWrite(read, write);
    }

    /** v2 {@code cpu.max}: {@code "$QUOTA $PERIOD"}, quota "max" as -1. */
    public record CpuMax(long quota, long period) {
        public static CpuMax parse(String text) {
            String[] f = text.trim().split("\\s+");
            if (f.length != 2) throw new IllegalArgumentException("not a cpu.max value: " + text);
            return new CpuMax(value(f[0]), Long.parseLong(f[1]));
        }

        public String format() { return (quota < 0 ? "max" : Long.toString(quota)) + " " + period; }
    }

    /** Unescapes mountinfo's octal escapes ({@code \040} for a space). */
    public static String unescapeOctal(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
