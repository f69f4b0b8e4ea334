package dev.hutch.spec;

import java.util.List;

/**
 * docker's {@code --ipc}, {@code --pid}, {@code --uts} and {@code --cgroupns} words, checked
 * without the host: which words each flag takes, and the combinations docker refuses. Whether a
 * {@code container:NAME} exists and runs is the engine's host-aware check, made before anything
 * on the host changes.
 */
public final class NamespaceSharingValidator {
    public static final List<String> IPC = List.of("host", "private", "shareable", "none");
    public static final List<String> PID = List.of("host", "private");
    public static final List<String> UTS = List.of("host", "private");
    public static final List<String> CGROUPNS = List.of("host", "private");

    private NamespaceSharingValidator() {}

    public static void validate(ContainerSpec spec) {
        NamespaceSharing ns = spec.namespaces();
        check("--ipc", ns.ipc(), IPC, true, "an IPC mode (use host, private, shareable, none or container:NAME)");
        check("--pid", ns.pid(), PID, true, "a PID mode (use host, private or container:NAME)");
        check("--uts", ns.uts(), UTS, false, "a UTS mode (use host or private)");
        check("--cgroupns", ns.cgroupns(), CGROUPNS, false, "a cgroup namespace mode (use host or private)");
        if ("host".equals(ns.uts()) && spec.hostname() != null)
            throw new InvalidSpecException("--hostname", spec.hostname(), "conflicts with --uts host (the container has the host's name): drop one of them");
        if (spec.security().userns().isAuto()) {
            for (String[] flag : new String[][]{{"--ipc", ns.ipc()}, {"--pid", ns.pid()}, {"--uts", ns.uts()}, {"--cgroupns", ns.cgroupns()}}) {
                if ("host".equals(flag[1]) || NamespaceSharing.containerOf(flag[1]) != null)
                    throw new InvalidSpecException(flag[0], flag[1], "cannot be combined with --userns " + spec.security().userns()
                            + " (that namespace belongs to the host's user namespace): drop one of them");
            }
        }
        // docker: the IPC sysctls would change the host's or the other container's IPC namespace
        if ("host".equals(ns.ipc()) || NamespaceSharing.containerOf(ns.ipc()) != null) {
            for (String name : spec.kernel().sysctls().keySet())
                if (isIpcSysctl(name))
                    throw new InvalidSpecException("--sysctl", name, "is not allowed with --ipc " + ns.ipc()
                            + " (it would change that IPC namespace, not the container's own): drop one of them");
        }
    }

    static boolean isIpcSysctl(String name) {
        return name.startsWith("kernel.shm") || name.startsWith("kernel.msg") || name.equals("kernel.sem") || name.startsWith("fs.mqueue.");
    }

    private static void check(String flag, String mode, List<String> words, boolean container, String what) {
        if (mode == null) return;
        if (words.contains(mode)) return;
        String ref = NamespaceSharing.containerOf(mode);
        if (container && ref != null) {
            if (ref.isEmpty()) throw new InvalidSpecException(flag, mode, "names no container (use container:NAME or container:ID)");
            return;
        }
        throw new InvalidSpecException(flag, mode, "is not " + what);
    }
}
