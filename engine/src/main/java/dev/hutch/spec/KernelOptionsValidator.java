package dev.hutch.spec;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@link KernelOptions} that need no host: docker's rules for which sysctls a
 * container may set, the rlimit names and their order, the OOM score range. Limits the host
 * itself imposes (a hard rlimit hutch cannot raise) are checked by the engine against the host.
 */
public final class KernelOptionsValidator {
    /**
     * The sysctls whose kernel state belongs to a namespace the container owns (moby's
     * opts.ValidateSysctl): the IPC namespace's shm/msg/sem tunables and POSIX message queues,
     * and everything under net.* (the network namespace). Anything else would change the host.
     */
    static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    static final String NET = "net.", MQUEUE = "fs.mqueue.";

    /** Lower case, as docker spells them (go-units); "as" is left out, as docker leaves it out. */
    public static final List<String> ULIMIT_NAMES = List.of("core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    private static final Pattern SYSCTL_NAME = Pattern.compile("[a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)+");
    private static final Pattern GROUP = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9_.-]*");

    private KernelOptionsValidator() {}

    /** @param privateNetwork whether the container gets a network namespace of its own */
    public static void validate(KernelOptions k, boolean privateNetwork) {
        k.sysctls().forEach((name, value) -> checkSysctl(name, value, privateNetwork));
        for (KernelOptions.Ulimit u : k.ulimits()) checkUlimit(u);
        Integer oom = k.oomScoreAdj();
        if (oom != null && (oom < -1000 || oom > 1000))
            throw new InvalidSpecException("--oom-score-adj", oom, "is out of range: use a whole number from -1000 to 1000");
        if (k.shmSize() != null && k.shmSize() <= 0)
            throw new InvalidSpecException("--shm-size", k.shmSize(), "must be more than 0 bytes (try 64m, 1g)");
        for (String g : k.groupAdd())
            if (g == null || !GROUP.matcher(g).matches())
                throw new InvalidSpecException("--group-add", g, "is not a group name or number");
    }

    static void checkSysctl(String name, String value, boolean privateNetwork) {
        checkSysctl("--sysctl", name, value, privateNetwork);
    }

    /** The same rules for another front end's field (the OCI runtime's {@code config.json: linux.sysctl}). */
    public static void checkSysctl(String flag, String name, String value, boolean privateNetwork) {
        String text = name + "=" + value;
        if (name == null || !SYSCTL_NAME.matcher(name).matches())
            throw new InvalidSpecException(flag, text, "is not NAME=VALUE with a dotted kernel parameter name (try net.ipv4.ip_forward=1)");
        if (value == null || value.isEmpty() || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0)
            throw new InvalidSpecException(flag, text, "needs a value on one line (try kernel.shmmax=1073741824)");
        boolean ipc = IPC_SYSCTLS.contains(name) || name.startsWith(MQUEUE);
        boolean net = name.startsWith(NET);
        if (!ipc && !net)
            throw new InvalidSpecException(flag, text, "is not a namespaced sysctl a container may set (allowed: net.*, "
                    + "kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*); change host settings on the host");
        if (net && !privateNetwork)
            throw new InvalidSpecException(flag, text, "needs a network namespace of the container's own: "
                    + "it would change the host's or another container's network (drop --network host/container:)");
    }

    static void checkUlimit(KernelOptions.Ulimit u) {
        String text = u.name() + "=" + u.soft() + ":" + u.hard();
        if (!ULIMIT_NAMES.contains(u.name()))
            throw new InvalidSpecException("--ulimit", text, "names no limit docker knows (use one of "
                    + String.join(", ", ULIMIT_NAMES) + ")");
        if (u.soft() < -1 || u.hard() < -1)
            throw new InvalidSpecException("--ulimit", text, "has a negative value (-1 means unlimited)");
        if (Long.compareUnsigned(u.soft(), u.hard()) > 0)
            throw new InvalidSpecException("--ulimit", text, "has a soft limit above its hard limit (use SOFT<=HARD)");
    }
}
