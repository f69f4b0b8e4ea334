package dev.hutch.runtime;

import dev.hutch.sys.RecordingSyscalls;
import dev.hutch.sys.Syscalls;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Waiting for a process's end: on this kernel (5.3 or later) through a pidfd, where the waiting
 * thread sleeps on one event; seen from outside as the thread's voluntary context switches, which
 * polling /proc every 5 ms would raise by about 200 a second. The fallback (a kernel without
 * pidfd_open) still sees the end. Needs no root: the processes are this test's own.
 */
class ProcessExitTest {
    static final Path PROC = Path.of("/proc");

    static long voluntarySwitchesOfThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
            if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.split("\\s+")[1]);
        throw new AssertionError("no voluntary_ctxt_switches in /proc/thread-self/status");
    }

    static long startTime(Process p) {
        ProcStat s = ProcStat.read(PROC, p.pid());
        assertNotNull(s, "the child is in /proc");
        return s.startTime();
    }

    static boolean kernelHasPidfd() {
        String[] v = System.getProperty("os.version").split("[.-]");
        int major = Integer.parseInt(v[0]), minor = Integer.parseInt(v[1]);
        return major > 5 || major == 5 && minor >= 3;
    }

    @Test
    void aWaitOnThisKernelSleepsOnOneEventUntilTheEnd() throws Exception {
        assertTrue(kernelHasPidfd(), "this host's kernel " + System.getProperty("os.version") + " has pidfd_open (5.3)");
        ProcessExit exits = ProcessExit.host(PROC);
        assertTrue(exits.bind(), "pidfd_open works here"); // JNA bound before counting

        Process p = new ProcessBuilder("sleep", "1").start();
        long start = startTime(p);
        long switches = voluntarySwitchesOfThisThread();
        long t0 = System.nanoTime();
        assertTrue(exits.await(p.pid(), start, 10_000), "the end was seen");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long used = voluntarySwitchesOfThisThread() - switches;
        System.out.println("pidfd wait of about 1 s: " + ms + " ms, " + used + " voluntary context switches");
        assertFalse(ProcStat.isAlive(PROC, p.pid(), start));
        assertTrue(used < 20, used + " wake-ups for a 1 s wait: the thread polled instead of sleeping on the pidfd");
    }

    @Test
    void aWaitThatTimesOutSaysSoAndTheProcessLives() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(ProcessExit.host(PROC).await(p.pid(), startTime(p), 200));
            assertTrue(p.isAlive());
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aReusedPidIsNotWaitedFor() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        try {
            long t0 = System.nanoTime();
            assertTrue(ProcessExit.host(PROC).await(p.pid(), startTime(p) + 1, 10_000), "another start time: not ours, gone");
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000, "without waiting for it");
            assertTrue(p.isAlive());
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutPidfdOpenTheWaitFallsBackToProc() throws Exception {
        RecordingSyscalls old = new RecordingSyscalls(); // pidfd_open fails with ENOSYS, as before 5.3
        ProcessExit exits = new ProcessExit(PROC, () -> old);
        Process p = new ProcessBuilder("sleep", "1").start();
        long start = startTime(p);
        long switches = voluntarySwitchesOfThisThread();
        assertTrue(exits.await(p.pid(), start, 10_000));
        long used = voluntarySwitchesOfThisThread() - switches;
        System.out.println("fallback wait of about 1 s: " + used + " voluntary context switches");
        assertFalse(ProcStat.isAlive(PROC, p.pid(), start));
        assertTrue(used > 20, "the fallback looks at /proc every 5 ms (" + used + " wake-ups): the count tells the two apart");
        assertEquals(1, old.calls.stream().filter(c -> c.startsWith("pidfd_open(")).count(), old.calls.toString());
        assertTrue(old.calls.stream().noneMatch(c -> c.startsWith("poll(")), "no poll on a pidfd it never got");

        Process q = new ProcessBuilder("sleep", "30").start();
        try {
            assertFalse(exits.await(q.pid(), startTime(q), 100), "the fallback times out too");
        } finally {
            q.destroyForcibly();
            q.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void whileJnaBindsAQuickEndIsSeenFromProc() throws Exception {
        // a fresh instance, as in a cold CLI: nothing bound yet
        ProcessExit cold = new ProcessExit(PROC, Syscalls::jna);
        Process p = new ProcessBuilder("sleep", "0.05").start();
        long start = startTime(p);
        assertTrue(cold.await(p.pid(), start, 10_000));
        assertFalse(ProcStat.isAlive(PROC, p.pid(), start));
        assertTrue(cold.bind(), "and the binding completes for the next wait");
    }

    @Test
    void pidfdOpenOfNoSuchProcessIsEsrch() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Thread.sleep(50); // reaped by the JVM
        dev.hutch.sys.SyscallException e = assertThrows(dev.hutch.sys.SyscallException.class,
                () -> Syscalls.jna().pidfdOpen((int) p.pid()));
        assertEquals(dev.hutch.sys.SyscallException.ESRCH, e.errno(), e.getMessage());
    }
}
