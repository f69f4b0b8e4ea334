package dev.hutch.runtime;

import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;
import dev.hutch.util.ProcStat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Sends signals to a container's init, by the pid hutch recorded and only if that pid still
 * belongs to the process that started at the recorded time (a reused pid is never signalled).
 * SIGTERM and SIGKILL go through {@link ProcessHandle}; other signals through the syscall seam's
 * kill(2), which loads JNA only then.
 */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGKILL = 9, SIGUSR1 = 10, SIGUSR2 = 12,
            SIGTERM = 15, SIGSTOP = 19, SIGCONT = 18;

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
            Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
            Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
            Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /** "KILL", "SIGKILL", "kill" or "9" → 9; a clear error otherwise. */
    public static int parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIG")) t = t.substring(3);
        Integer n = NUMBERS.get(t);
        if (n != null) return n;
        try {
            int v = Integer.parseInt(t);
            if (v >= 1 && v <= 64) return v;
        } catch (NumberFormatException ignored) {
            // fall through to the error
        }
        throw new dev.hutch.spec.InvalidSpecException("--signal", text, "is not a signal (try TERM, KILL, HUP or a number 1-64)");
    }

    /**
     * kill(2) for a pid the caller recorded (its own child, or one it checked): JNA's kill.
     *
     * @return false if the process is already gone (ESRCH)
     * @throws dev.hutch.HutchException for any other refusal (EPERM, a bad signal number)
     */
    public static boolean send(long pid, int signo) {
        if (pid <= 0) throw new IllegalArgumentException("not a single process: pid " + pid);
        try {
            Syscalls.jna().kill((int) pid, signo);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ESRCH) return false;
            throw new dev.hutch.HutchException("cannot send signal " + signo + " to process " + pid + ": " + dev.hutch.sys.Errno.describe(e.errno()), e);
        }
    }

    /**
     * A signal to a child this JVM started and has not reaped: one of ChildStdio.of's is signalled
     * under its reaping lock, so never a reused pid; any other while it is still alive.
     */
    public static void send(Process child, int signo) {
        if (child instanceof SpawnedProcess spawned) spawned.signal(signo);
        else if (child.isAlive()) send(child.pid(), signo);
    }

    /** @return false if the process is already gone */
    public static boolean send(Path procRoot, long pid, long startTime, int signal) {
        if (!ProcStat.isAlive(procRoot, pid, startTime)) return false;
        if (signal == SIGTERM || signal == SIGKILL) {
            ProcessHandle h = ProcessHandle.of(pid).orElse(null);
            if (h == null) return false;
            return signal == SIGTERM ? h.destroy() : h.destroyForcibly();
        }
        try {
            Syscalls.jna().kill((int) pid, signal);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == SyscallException.ESRCH) return false; // gone meanwhile
            throw e;
        }
    }
}
