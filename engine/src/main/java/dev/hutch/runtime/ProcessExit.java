package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;
import dev.hutch.util.ProcStat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Waits for a process that is not our child (a container's init, its monitor) to end, the
 * process being the one with the recorded pid and start time. On Linux 5.3 and later it waits on
 * a pidfd (pidfd_open + poll): the wait is one event, with no wake-ups while the process lives.
 * On older kernels (hutch supports 4.6), or where pidfd_open is refused, it falls back to looking
 * at /proc every 5 ms.
 *
 * <p>pidfd_open goes through JNA, whose first use costs 200-300 ms in a fresh JVM on a busy
 * 2-core host, far more than a container dying of SIGTERM takes (about 20 ms). So JNA is bound on
 * a background thread ({@link #prepare}, which stop/kill/rm call before they signal) and, until
 * it is, the wait looks at /proc; a cold {@code hutch stop} of a quick container never waits for
 * JNA, and any wait longer than the binding sleeps on the pidfd.
 */
public final class ProcessExit {
    private static final Path HOST_PROC = Path.of("/proc");
    private static final ProcessExit HOST = new ProcessExit(HOST_PROC, Syscalls::jna);
    static final long POLL_MILLIS = 5;

    private final Path procRoot;
    private final Supplier<Syscalls> syscalls;
    private final AtomicBoolean loading = new AtomicBoolean();
    /** Set once JNA is bound: whether this kernel gives pidfds (false: old kernel, refused, no JNA). */
    private volatile Boolean pidfds;

    /** @param syscalls the seam for pidfd_open and poll */
    public ProcessExit(Path procRoot, Supplier<Syscalls> syscalls) {
        this.procRoot = procRoot;
        this.syscalls = syscalls;
        // pids of a /proc other than the host's (tests) are not this kernel's
        if (!procRoot.equals(HOST_PROC)) pidfds = false;
    }

    /** The host's, shared by the whole JVM, so JNA is bound (or found missing) once. */
    public static ProcessExit host(Path procRoot) { return procRoot.equals(HOST_PROC) ? HOST : new ProcessExit(procRoot, Syscalls::jna); }

    /** Starts binding pidfd_open on a background thread, if not done or under way; returns at once. */
    public void prepare() {
        if (pidfds != null || !loading.compareAndSet(false, true)) return;
        Thread t = new Thread(this::bind, "hutch-pidfd");
        t.setDaemon(true);
        t.start();
    }

    /** Binds pidfd_open now (JNA, the kernel's answer) and says whether waits can use pidfds. */
    public boolean bind() {
        Boolean known = pidfds;
        if (known != null) return known;
        boolean ok;
        try {
            syscalls.get().close(syscalls.get().pidfdOpen((int) ProcessHandle.current().pid()));
            ok = true;
        } catch (SyscallException e) {
            ok = false; // ENOSYS before 5.3, EPERM under a seccomp filter
        } catch (RuntimeException | LinkageError e) {
            // no JNA on this host, or the JVM is exiting while JNA loads (its deleteOnExit then
            // throws): the /proc loop still works, and nothing of it belongs on the terminal
            ok = false;
        }
        pidfds = ok;
        return ok;
    }

    /**
     * @return true once the process is gone (exited, a zombie, or its pid reused), false if it
     *         still runs after {@code millis}
     */
    public boolean await(long pid, long startTime, long millis) {
        if (!alive(pid, startTime)) return true;
        long deadline = System.nanoTime() + millis * 1_000_000;
        if (pidfds == null) {
            prepare();
            // /proc while JNA binds: a process that ends meanwhile is seen without waiting for it
            while (pidfds == null) {
                if (!alive(pid, startTime)) return true;
                if (System.nanoTime() > deadline) return false;
                sleep();
            }
        }
        int fd = pidfds ? pidfd(pid) : -1;
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

    /** A pidfd for the process, or -1 (ESRCH: it is gone, which the /proc loop then sees at once). */
    private int pidfd(long pid) {
        try {
            return syscalls.get().pidfdOpen((int) pid);
        } catch (SyscallException e) {
            return -1;
        }
    }

    private boolean poll(long pid, long startTime, long deadline) {
        while (alive(pid, startTime)) {
            if (System.nanoTime() > deadline) return false;
            sleep();
        }
        return true;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        }
    }

    private boolean alive(long pid, long startTime) { return ProcStat.isAlive(procRoot, pid, startTime); }
}
