package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.runtime.ProcessExit;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * stop, kill and rm wait for the container's init (and rm for its monitor) on a pidfd: the calling
 * thread sleeps until the end instead of looking at /proc every 5 ms. Seen from outside: the end
 * is the one asked for (SIGTERM's 143, SIGKILL's 137, nothing left after rm), stop returns long
 * before its kill timeout, and the thread that called stop through a one-second shutdown woke up
 * a handful of times, not the ~200 of a 5 ms poll (its voluntary context switches).
 */
@RequiresRoot
class StopKillRmWaitTest {
    static TestRoots roots;
    static Engine engine;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        if (roots != null) roots.close();
    }

    private static ContainerSpec.Builder busybox(String... cmd) {
        return ContainerSpec.builder("busybox").command(cmd).network("none");
    }

    static long voluntarySwitchesOfThisThread() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/thread-self/status")))
            if (line.startsWith("voluntary_ctxt_switches:")) return Long.parseLong(line.split("\\s+")[1]);
        throw new AssertionError("no voluntary_ctxt_switches");
    }

    private static void awaitLog(String id, String text) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (engine.logs(id).read(-1, null).stream().noneMatch(e -> e.text().contains(text))) {
            if (System.currentTimeMillis() > deadline) fail("the container never printed " + text);
            Thread.sleep(20);
        }
    }

    @Test
    void stopOfAContainerThatEndsOnSigtermReturnsWithoutWaitingOutTheTimeout() {
        Started s = engine.run(busybox("sleep", "1000").build(), true);
        long t0 = System.nanoTime();
        engine.stop(s.id(), Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("stop of sleep (SIGTERM) took " + ms + " ms");
        ContainerState st = engine.inspect(s.id());
        assertEquals(ContainerStatus.EXITED, st.status());
        assertEquals(143, st.exitCode(), "ended by SIGTERM, not by the SIGKILL after the timeout");
        assertTrue(ms < 30_000, "stop returned when the container ended, not after its 60 s timeout (" + ms + " ms)");
        assertFalse(ProcStat.isAlive(Path.of("/proc"), s.state().pid(), s.state().pidStartTime()));
        engine.remove(s.id(), false, true);
    }

    @Test
    void theThreadThatStopsSleepsUntilTheEnd() throws Exception {
        // The shell takes a second to go after SIGTERM: stop's wait spans it.
        Started s = engine.run(busybox("sh", "-c", "trap 'sleep 1; exit 3' TERM; echo ready; sleep 1000 & wait").build(), true);
        awaitLog(s.id(), "ready");
        engine.inspect(s.id()); // classes loaded before counting
        // pidfd_open bound, as in a warm engine (a cold CLI looks at /proc while JNA binds)
        assertTrue(ProcessExit.host(Path.of("/proc")).bind(), "this kernel has pidfd_open");
        long switches = voluntarySwitchesOfThisThread();
        long t0 = System.nanoTime();
        engine.stop(s.id(), Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long used = voluntarySwitchesOfThisThread() - switches;
        System.out.println("stop through a 1 s shutdown: " + ms + " ms, " + used + " voluntary context switches");
        assertEquals(3, engine.inspect(s.id()).exitCode(), "the trap ran to its end");
        assertTrue(ms >= 900, "stop waited for the shutdown (" + ms + " ms)");
        assertTrue(used < 60, used + " wake-ups over " + ms + " ms: stop polled instead of waiting on a pidfd");
        engine.remove(s.id(), false, true);
    }

    @Test
    void killWithSigkillWaitsForTheEndAndRecordsIt() {
        Started s = engine.run(busybox("sh", "-c", "trap '' TERM; sleep 1000").build(), true);
        engine.kill(s.id(), "KILL");
        ContainerState st = engine.inspect(s.id());
        assertEquals(ContainerStatus.EXITED, st.status());
        assertEquals(137, st.exitCode());
        assertFalse(ProcStat.isAlive(Path.of("/proc"), s.state().pid(), s.state().pidStartTime()));
        engine.remove(s.id(), false, true);
    }

    @Test
    void rmForceOfARunningContainerLeavesNoProcessAndNoRecord() {
        Started s = engine.run(busybox("sh", "-c", "trap '' TERM; sleep 1000").build(), true);
        ContainerState st = engine.inspect(s.id());
        assertTrue(st.monitorPid() > 0);
        engine.remove(s.id(), true, true);
        assertFalse(ProcStat.isAlive(Path.of("/proc"), st.pid(), st.pidStartTime()), "init is gone");
        assertFalse(ProcStat.isAlive(Path.of("/proc"), st.monitorPid(), st.monitorStartTime()), "the monitor is gone");
        assertFalse(Files.exists(roots.config().containerStateDir(s.id())), "the record is gone");
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().equals(s.id())), "the cgroup is gone");
    }
}
