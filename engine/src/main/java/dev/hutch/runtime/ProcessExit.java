package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;
import dev.hutch.util.ProcStat;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Waits for a process that is not our child (a container's init, its monitor) to end, the
 * process being the one with the recorded pid and start time. On Linux 5.3 and later it waits on
 * a pidfd (pidfd_open + poll): the wait is one event, with no wake-ups while the process lives.
 * On older kernels (hutch supports 4.6), or where pidfd_open is refused, it falls back to looking
 * at /proc every 5 ms.
 */
public final class ProcessExit {
    private static final Path HOST_PROC = Path.of("/proc");
    static final long POLL_MILLIS = 5;

    private final Path procRoot;
    private final Supplier<Syscalls> syscalls;

    /** @param syscalls the seam for pidfd_open and poll; JNA is loaded only when a wait needs it */
    public ProcessExit(Path procRoot, Supplier<Syscalls> syscalls) {
        this.procRoot = procRoot;
        this.syscalls = syscalls;
    }

    public static ProcessExit host(Path procRoot) { return new ProcessExit(procRoot, Syscalls::jna); }

    /**
     * @return true once the process is gone (exited, a zombie, or its pid reused), false if it
     *         still runs after {@code millis}
     */
    public boolean await(long pid, long startTime, long millis) {
        if (!alive(pid, startTime)) return true;
        long deadline = System.nanoTime() + millis * 1_000_000;
        int fd = pidfd(pid);
        if (fd < 0) return poll(pid, startTime, deadline);
        try {
            // The pid may have been reused between the look at /proc and pidfd_open: the fd is
            // only trusted once the process it names is still the one with the recorded start.
            if (!alive(pid, startTime)) return true;
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) return !alive(pid, startTime);
                if (syscalls.get().pollIn(fd, (int) Math.min(left, Integer.MAX_VALUE))) return true;
            }
        } finally {
            try {
                syscalls.get().close(fd);
            } catch (RuntimeException ignored) {
                // nothing to do about a close that fails
            }
        }
    }

    /** A pidfd for the process, or -1 to fall back (old kernel, refused, JNA unavailable). */
    private int pidfd(long pid) {
        // pids of a /proc other than the host's (tests) are not this kernel's
        if (!procRoot.equals(HOST_PROC)) return -1;
        try {
            return syscalls.get().pidfdOpen((int) pid);
        } catch (SyscallException e) {
            return -1; // ENOSYS before 5.3, EPERM under a seccomp filter, ESRCH if gone (then poll says so at once)
        } catch (LinkageError e) {
            return -1; // no JNA on this host: the /proc loop still works
        }
    }

    private boolean poll(long pid, long startTime, long deadline) {
        while (alive(pid, startTime)) {
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HutchException("interrupted", e);
            }
        }
        return true;
    }

    private boolean alive(long pid, long startTime) { return ProcStat.isAlive(procRoot, pid, startTime); }
}
