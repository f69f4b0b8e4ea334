package dev.hutch.runtime;

import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.KernelOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's rlimits: hutch's default open-files limit, replaced or joined by {@code --ulimit}
 * lines, and the check that each hard limit is one the host lets hutch give. The helper sets them
 * with setrlimit(2) while it is still root; raising a hard limit above its own needs
 * CAP_SYS_RESOURCE, which a sandboxed host withholds (this one caps open files at 20000): such a
 * limit is refused before anything on the host changes, never left to fail or be cut silently.
 */
public final class Rlimits {
    private Rlimits() {}

    /** docker's name → the row of /proc/PID/limits that shows it. */
    static final Map<String, String> PROC_ROWS = new LinkedHashMap<>();
    static {
        PROC_ROWS.put("cpu", "Max cpu time");
        PROC_ROWS.put("fsize", "Max file size");
        PROC_ROWS.put("data", "Max data size");
        PROC_ROWS.put("stack", "Max stack size");
        PROC_ROWS.put("core", "Max core file size");
        PROC_ROWS.put("rss", "Max resident set");
        PROC_ROWS.put("nproc", "Max processes");
        PROC_ROWS.put("nofile", "Max open files");
        PROC_ROWS.put("memlock", "Max locked memory");
        PROC_ROWS.put("locks", "Max file locks");
        PROC_ROWS.put("sigpending", "Max pending signals");
        PROC_ROWS.put("msgqueue", "Max msgqueue size");
        PROC_ROWS.put("nice", "Max nice priority");
        PROC_ROWS.put("rtprio", "Max realtime priority");
        PROC_ROWS.put("rttime", "Max realtime timeout");
    }

    /**
     * Refuses a {@code --ulimit} whose hard limit is above the host's ceiling: hutch's own hard limit
     * when it lacks CAP_SYS_RESOURCE (then setrlimit could only lower it).
     *
     * @param procSelfLimits the text of /proc/self/limits (null: nothing known, nothing refused)
     * @param canRaise       whether hutch holds CAP_SYS_RESOURCE
     */
    public static void checkAgainstHost(KernelOptions k, String procSelfLimits, boolean canRaise) {
        if (canRaise || procSelfLimits == null) return;
        for (KernelOptions.Ulimit u : k.ulimits()) {
            long ceiling = hardLimit(procSelfLimits, u.name());
            if (ceiling == -1) continue; // unlimited here: anything goes
            if (u.hard() == -1 || u.hard() > ceiling) {
                String asked = u.hard() == -1 ? "unlimited" : Long.toString(u.hard());
                throw new InvalidSpecException("--ulimit", u.name() + "=" + text(u.soft()) + ":" + text(u.hard()),
                        "asks a hard limit of " + asked + ", above this host's " + ceiling + " for " + u.name()
                                + " (hutch runs without CAP_SYS_RESOURCE here and cannot raise it); use at most "
                                + u.name() + "=" + ceiling);
            }
        }
    }

    /** The helper's {@code rlimit} lines: NAME SOFT HARD, -1 for unlimited. */
    public static List<String> lines(KernelOptions k, String procSelfLimits) {
        List<String> out = new ArrayList<>();
        boolean nofileGiven = k.ulimits().stream().anyMatch(u -> u.name().equals("nofile"));
        if (!nofileGiven) out.add(DockerDefaults.rlimitNofile(procSelfLimits));
        for (KernelOptions.Ulimit u : k.ulimits())
            out.add(u.name().toUpperCase(java.util.Locale.ROOT) + " " + u.soft() + " " + u.hard());
        return out;
    }

    /** Whether CAP_SYS_RESOURCE (24) is in the effective set of /proc/self/status. */
    public static boolean hasSysResource(String procSelfStatus) {
        if (procSelfStatus == null) return false;
        for (String line : procSelfStatus.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                return (caps & (1L << 24)) != 0;
            }
        }
        return false;
    }

    /** The hard limit of /proc/PID/limits' row for docker's name; -1 for unlimited or an absent row. */
    static long hardLimit(String procLimits, String name) {
        String row = PROC_ROWS.get(name);
        if (row == null) return -1;
        for (String line : procLimits.split("\n")) {
            if (!line.startsWith(row + " ")) continue;
            String[] f = line.substring(row.length()).trim().split("\\s+");
            if (f.length < 2 || f[1].equals("unlimited")) return -1;
            return Long.parseLong(f[1]);
        }
        return -1;
    }

    private static String text(long v) { return v == -1 ? "-1" : Long.toString(v); }
}
