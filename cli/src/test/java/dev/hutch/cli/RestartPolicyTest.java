package dev.hutch.cli;

import dev.hutch.json.Json;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ContainerStatus;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --restart carried out without a daemon (the monitor's exit command): on-failure:N restarts
 * exactly N times, each run a new process (its host pid seen in /proc), counted in inspect;
 * always restarts after exit 0; stop and kill by the user never restart; rm -f ends a restart
 * loop at any moment and leaves nothing; update --restart takes effect at the next exit. Each
 * run appends a line to a bind-mounted file, so the runs are counted from the host. Bad values:
 * one line, exit 125, nothing left.
 */
@RequiresRoot
class RestartPolicyTest {
    static TestRoots roots;
    Path out;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    @AfterEach
    void nothingLeft() throws IOException {
        assertEquals(List.of(), roots.leftoverContainers(), "every container of the test is gone");
        assertEquals(List.of(), roots.leftoverCgroups(), "no cgroup is left");
        if (out != null) dev.hutch.util.Dirs.deleteRecursively(out);
    }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    /** A detached container whose every run appends "run" to OUT/runs, then runs {@code then}. */
    String detached(List<String> flags, String then) throws IOException {
        out = Files.createTempDirectory(roots.dir(), "out");
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none", "-v", out + ":/out"));
        a.addAll(flags);
        a.addAll(List.of("busybox", "sh", "-c", "echo run >> /out/runs; " + then));
        HutchProcess.Result r = hutch(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    int runs() throws IOException {
        Path f = out.resolve("runs");
        return Files.exists(f) ? (int) Files.readAllLines(f).stream().filter("run"::equals).count() : 0;
    }

    /** The record as it is on disk (the test's own run root), read without a hutch process. */
    static ContainerState record(String id) {
        try {
            return ContainerState.fromJson(Json.parse(Files.readString(roots.config().containersDir().resolve(id).resolve("config.json"))));
        } catch (IOException e) {
            return null;
        }
    }

    /** Polls the record every 20 ms until {@code done} holds; each running init's host pid seen alive in /proc is collected. */
    static ContainerState watch(String id, long millis, Set<Long> pids, Predicate<ContainerState> done) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        ContainerState s = null;
        while (System.currentTimeMillis() < end) {
            s = record(id);
            if (s != null && s.status() == ContainerStatus.RUNNING && s.pid() > 0
                    && ProcStat.isAlive(Path.of("/proc"), s.pid(), s.pidStartTime()))
                pids.add(s.pid());
            if (s != null && done.test(s)) return s;
            Thread.sleep(20);
        }
        return s;
    }

    static String inspect(String id, String format) { return hutch("inspect", "--format", format, id).out().trim(); }

    @Test
    void onFailureRestartsExactlyNTimesEachRunANewProcessCountedInInspect() throws Exception {
        String id = detached(List.of("--restart", "on-failure:2"), "sleep 1; exit 3");
        try {
            Set<Long> pids = new LinkedHashSet<>();
            ContainerState s = watch(id, 60_000, pids, c -> c.status() == ContainerStatus.EXITED && c.restart().count() == 2
                    && c.restart().restarterPid() == 0);
            assertEquals(ContainerStatus.EXITED, s.status(), "the policy gave up after two restarts");
            Thread.sleep(3_000); // a third restart would have begun by now
            assertEquals(3, runs(), "the first run and exactly two restarts");
            assertEquals(3, pids.size(), "each run was a new init process on the host: " + pids);
            assertEquals("2 exited 3 false", inspect(id, "{{.RestartCount}} {{.State.Status}} {{.State.ExitCode}} {{.State.Restarting}}"));
            assertEquals("on-failure 2", inspect(id, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"));
        } finally {
            hutch("rm", "-f", id);
        }
    }

    @Test
    void alwaysRestartsAfterExitZeroAndRmForceEndsTheLoop() throws Exception {
        String id = detached(List.of("--restart", "always", "--name", "loop-" + roots.tag()), "sleep 0.2");
        Set<Long> pids = new LinkedHashSet<>();
        ContainerState s = watch(id, 60_000, pids, c -> c.restart().count() >= 2);
        assertTrue(s.restart().count() >= 2, "exit 0 restarts under always: " + s.restart());
        // the moment the policy waits its backoff ("restarting"), rm -f: the loop ends there
        ContainerState restarting = watch(id, 30_000, pids, c -> c.status() == ContainerStatus.RESTARTING);
        assertEquals(ContainerStatus.RESTARTING, restarting.status(), "the record says so while the policy waits its backoff");
        assertTrue(restarting.restart().restarterPid() > 0 && ProcStat.isAlive(Path.of("/proc"), restarting.restart().restarterPid(),
                restarting.restart().restarterStartTime()), "the process carrying out the restart is recorded");
        assertEquals(0, hutch("rm", "-f", id).code());
        assertFalse(ProcStat.isAlive(Path.of("/proc"), restarting.restart().restarterPid(), restarting.restart().restarterStartTime())
                || record(id) != null, "rm -f ended the restarter and removed the record");
        int after = runs();
        Thread.sleep(3_000);
        assertEquals(after, runs(), "no run after rm -f");
        assertFalse(Files.exists(roots.config().containersDir().resolve(id)), "the record is gone");
        assertEquals("", hutch("ps", "-aq").out().trim());
    }

    @Test
    void stopAndKillByTheUserNeverRestart() throws Exception {
        String stopped = detached(List.of("--restart", "always"), "sleep 60");
        String killed;
        try {
            killed = detachedToo(List.of("--restart", "on-failure"), "sleep 60");
            try {
                assertEquals(0, hutch("stop", "-t", "1", stopped).code());
                assertEquals(0, hutch("kill", killed).code());
                Thread.sleep(4_000); // a restart would have begun by now (backoff 100 ms, a start ~1 s)
                assertEquals("0 exited", inspect(stopped, "{{.RestartCount}} {{.State.Status}}"), "stop does not restart");
                assertEquals("0 exited", inspect(killed, "{{.RestartCount}} {{.State.Status}}"), "kill does not restart");
                assertEquals(2, runs(), "each ran once");
                // a start by the user clears the mark: the policy applies again
                assertEquals(0, hutch("start", stopped).code());
                assertEquals("running", inspect(stopped, "{{.State.Status}}"));
            } finally {
                hutch("rm", "-f", killed);
            }
        } finally {
            hutch("rm", "-f", stopped);
        }
    }

    /** A second container writing to the same OUT. */
    String detachedToo(List<String> flags, String then) {
        List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none", "-v", out + ":/out"));
        a.addAll(flags);
        a.addAll(List.of("busybox", "sh", "-c", "echo run >> /out/runs; " + then));
        HutchProcess.Result r = hutch(a.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    @Test
    void updateRestartTakesEffectAtTheNextExit() throws Exception {
        String id = detached(List.of(), "sleep 4; exit 1");
        try {
            assertEquals(0, hutch("update", "--restart", "on-failure:1", id).code());
            ContainerState s = watch(id, 60_000, new LinkedHashSet<>(), c -> c.status() == ContainerStatus.EXITED
                    && c.restart().count() == 1 && c.restart().restarterPid() == 0);
            assertEquals(1, s.restart().count(), "restarted once by the policy set after it started");
            assertEquals(2, runs());
            assertEquals("on-failure", inspect(id, "{{.HostConfig.RestartPolicy.Name}}"));
        } finally {
            hutch("rm", "-f", id);
        }
    }

    @Test
    void badRestartValuesAreOneLineAndLeaveNothing() {
        for (List<String> flags : List.of(List.of("--restart", "sometimes"), List.of("--restart", "on-failure:-1"),
                List.of("--restart", "always:3"), List.of("--restart", "on-failure:x"), List.of("--restart", "always", "--rm"))) {
            List<String> a = new ArrayList<>(List.of("run", "-d", "--network", "none"));
            a.addAll(flags);
            a.addAll(List.of("busybox", "true"));
            HutchProcess.Result r = hutch(a.toArray(String[]::new));
            assertEquals(125, r.code(), flags.toString());
            assertEquals(1, r.err().trim().lines().count(), "one line: " + r.err());
            assertTrue(r.err().contains("--restart"), r.err());
        }
        assertTrue(hutch("run", "-d", "--restart", "always", "--rm", "busybox", "true").err().contains("Conflicting options: --restart and --rm"));
        assertEquals("", hutch("ps", "-aq").out().trim(), "nothing was created");
    }
}
