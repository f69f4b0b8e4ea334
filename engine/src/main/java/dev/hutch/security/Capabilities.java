package dev.hutch.security;

import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.SecurityOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Linux capabilities by name, and docker's rules for the set a container gets: the 14 defaults,
 * or all of them with {@code --privileged}; then {@code --cap-drop} (ALL empties the base), then
 * {@code --cap-add} (ALL makes every one the base, before the drops), so a capability both added
 * and dropped is kept, as in
 * moby's TweakCapabilities.
 */
public final class Capabilities {
    private Capabilities() {}

    /** Every capability, in kernel number order (CAP_CHOWN is 0); the helper keeps what the kernel knows. */
    public static final List<String> ALL = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
            "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
            "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
            "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
            "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
            "CAP_CHECKPOINT_RESTORE");

    /** docker's default set (moby's caps.DefaultCapabilities). */
    public static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    /**
     * {@code sys_admin}, {@code CAP_SYS_ADMIN} → {@code CAP_SYS_ADMIN}; {@code all} → {@code ALL}.
     * @throws InvalidSpecException naming the flag and the value
     */
    public static String normalize(String flag, String name) {
        String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("ALL")) return "ALL";
        if (!n.startsWith("CAP_")) n = "CAP_" + n;
        if (!ALL.contains(n))
            throw new InvalidSpecException(flag, name, "is not a capability (see capabilities(7): e.g. NET_ADMIN, SYS_PTRACE, or ALL)");
        return n;
    }

    /** The container's capabilities, in kernel order. */
    public static List<String> resolve(SecurityOptions s) {
        Set<String> adds = new LinkedHashSet<>(), drops = new LinkedHashSet<>();
        for (String c : s.capAdd()) adds.add(normalize("--cap-add", c));
        for (String c : s.capDrop()) drops.add(normalize("--cap-drop", c));
        Set<String> caps = new LinkedHashSet<>(s.privileged() || adds.contains("ALL") ? ALL : DEFAULT);
        if (drops.contains("ALL")) caps.clear();
        caps.removeAll(drops);
        for (String c : adds) if (!c.equals("ALL")) caps.add(c);
        List<String> ordered = new ArrayList<>();
        for (String c : ALL) if (caps.contains(c)) ordered.add(c);
        return ordered;
    }
}
