package dev.hutch.runtime;

import dev.hutch.layer.HelperMount;

import java.util.List;

/**
 * What docker gives every container unless told otherwise: the kernel filesystems, the device
 * nodes, the masked and read-only /proc and /sys paths, and the 14 default capabilities (moby's
 * oci/defaults.go and caps/defaults.go). Kept as data so a plan can be read and tested without root.
 */
public final class DockerDefaults {
    private DockerDefaults() {}

    /** In this order: /proc first (devpts and mqueue need nothing of it, but /sys/fs cgroup would). */
    public static List<HelperMount> kernelMounts() {
        return List.of(
                new HelperMount("proc", "/proc", "proc", List.of("nosuid", "noexec", "nodev", "mkdir"), ""),
                new HelperMount("tmpfs", "/dev", "tmpfs", List.of("nosuid", "strictatime", "mkdir"), "mode=755,size=65536k"),
                new HelperMount("devpts", "/dev/pts", "devpts", List.of("nosuid", "noexec", "mkdir"),
                        "newinstance,ptmxmode=0666,mode=0620,gid=5"),
                new HelperMount("shm", "/dev/shm", "tmpfs", List.of("nosuid", "noexec", "nodev", "mkdir"), "mode=1777,size=65536k"),
                new HelperMount("mqueue", "/dev/mqueue", "mqueue", List.of("nosuid", "noexec", "nodev", "mkdir"), ""),
                new HelperMount("sysfs", "/sys", "sysfs", List.of("nosuid", "noexec", "nodev", "ro", "mkdir"), ""));
    }

    /** helper {@code device} values: PATH TYPE MAJOR MINOR MODE. */
    public static final List<String> DEVICES = List.of(
            "/dev/null c 1 3 0666", "/dev/zero c 1 5 0666", "/dev/full c 1 7 0666",
            "/dev/random c 1 8 0666", "/dev/urandom c 1 9 0666", "/dev/tty c 5 0 0666");

    public static final List<String> SYMLINKS = List.of(
            "/proc/self/fd /dev/fd", "/proc/self/fd/0 /dev/stdin", "/proc/self/fd/1 /dev/stdout",
            "/proc/self/fd/2 /dev/stderr", "pts/ptmx /dev/ptmx", "/proc/kcore /dev/core");

    /** docker's list as of Engine 28 (API 1.49 added /proc/interrupts). */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
            "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    public static final List<String> CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
            "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
            "CAP_AUDIT_WRITE");

    /** docker's default open-files limit (dockerd's own, 1048576 on most hosts). */
    public static final long NOFILE = 1_048_576;

    /**
     * The helper's {@code rlimit} line for open files: docker's default, but never above our own
     * hard limit, which a process without CAP_SYS_RESOURCE (a sandboxed host) cannot raise.
     */
    public static String rlimitNofile(String procSelfLimits) {
        if (procSelfLimits == null) procSelfLimits = "";
        long hard = NOFILE;
        for (String line : procSelfLimits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                if (f.length >= 2 && !f[1].equals("unlimited")) hard = Math.min(hard, Long.parseLong(f[1]));
            }
        }
        return "NOFILE " + hard + " " + hard;
    }
}
