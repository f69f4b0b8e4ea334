package dev.hutch.cli;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.logs.LogEntry;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The core runtime, observed from outside the container wherever it can be: /proc of the host,
 * the cgroup files, the state and log files the engine and the helper's monitor write.
 */
@RequiresRoot
class CoreRuntimeTest {
    static TestRoots roots;
    static Engine engine;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        }
        if (roots != null) roots.close();
    }

    private static ContainerSpec.Builder busybox(String... cmd) {
        return ContainerSpec.builder("busybox").command(cmd).network("none");
    }

    private static String logText(String id, String stream) {
        return engine.logs(id).read(-1, null).stream().filter(e -> e.stream().equals(stream))
                .map(LogEntry::text).collect(Collectors.joining());
    }

    private static int runToEnd(ContainerSpec spec) {
        Started s = engine.run(spec, true);
        return engine.waitFor(s.id());
    }

    @Test
    void pid1IsTheInitAndHostProcessesAreInvisible() throws Exception {
        Started s = engine.run(busybox("sleep", "100").name("pid1-" + roots.tag()).build(), true);
        try {
            long hostPid = s.state().pid();
            // From the host: the container's init is pid 1 in its own pid namespace.
            String status = Files.readString(Path.of("/proc/" + hostPid + "/status"));
            String nspid = status.lines().filter(l -> l.startsWith("NSpid:")).findFirst().orElseThrow();
            assertTrue(nspid.trim().endsWith("\t1") || nspid.trim().endsWith(" 1"), nspid);
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")),
                    Files.readSymbolicLink(Path.of("/proc/" + hostPid + "/ns/pid")));
        } finally {
            engine.remove(s.id(), true, true);
        }
        // From inside: ps sees only the init and itself, none of the host's processes.
        ContainerSpec ps = busybox("ps", "-o", "pid,comm").build();
        Started p = engine.run(ps, true);
        assertEquals(0, engine.waitFor(p.id()));
        List<String> rows = logText(p.id(), "stdout").lines().skip(1).map(String::trim).toList();
        assertEquals(2, rows.size(), "only init and ps: " + rows);
        assertTrue(rows.get(0).startsWith("1 "), rows.toString());
        engine.remove(p.id(), false, true);
    }

    @Test
    void theHostnameIsTheContainers() throws Exception {
        Started s = engine.run(busybox("hostname").hostname("box-" + roots.tag()).build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        assertEquals("box-" + roots.tag() + "\n", logText(s.id(), "stdout"));
        engine.remove(s.id(), false, true);
    }

    @Test
    void theCgroupFilesHoldTheLimits() throws Exception {
        ContainerSpec.Builder b = busybox("sleep", "100");
        b.resources().cpus(0.5).memory(64L << 20).pidsLimit(50L);
        Started s = engine.run(b.build(), true);
        try {
            String procCgroup = Files.readString(Path.of("/proc/" + s.state().pid() + "/cgroup"));
            assertTrue(procCgroup.contains("/hutch/test-" + roots.tag() + "/" + s.id()), procCgroup);
            List<Path> dirs = engine.cgroup(s.id()).paths();
            assertEquals("50000", read(dirs, "cpu.cfs_quota_us", "cpu.max").split(" ")[0]);
            assertEquals(String.valueOf(64L << 20), read(dirs, "memory.limit_in_bytes", "memory.max"));
            assertEquals("50", read(dirs, "pids.max", "pids.max"));
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    /** The value of the v1 or v2 file, wherever the container's cgroup has it. */
    static String read(List<Path> dirs, String v1, String v2) throws Exception {
        for (Path d : dirs) {
            for (String f : List.of(v1, v2)) {
                if (Files.exists(d.resolve(f))) return Files.readString(d.resolve(f)).trim();
            }
        }
        throw new AssertionError("no " + v1 + " or " + v2 + " in " + dirs);
    }

    @Test
    void stopOfSleepEndsBySigtermThroughTheInit() {
        Started s = engine.run(busybox("sleep", "1000").build(), true);
        long t0 = System.nanoTime();
        engine.stop(s.id(), Duration.ofSeconds(10));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        ContainerState st = engine.inspect(s.id());
        System.out.println("stop of sleep took " + ms + " ms");
        // 143 = 128 + SIGTERM: the init passed SIGTERM on and sleep died of it; after the
        // 10 s timeout it would have been SIGKILL (137).
        assertEquals(143, st.exitCode());
        engine.remove(s.id(), false, true);
    }

    @Test
    void killWithASignalReachesTheCommandThroughTheInit() throws Exception {
        Started s = engine.run(busybox("sh", "-c", "trap 'echo got-hup; exit 9' HUP; echo ready; while :; do sleep 1; done").build(), true);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!logText(s.id(), "stdout").contains("ready") && System.currentTimeMillis() < deadline) Thread.sleep(20);
        engine.kill(s.id(), "HUP");
        assertEquals(9, engine.waitFor(s.id()), "the trap ran: SIGHUP went init -> sh");
        assertEquals("ready\ngot-hup\n", logText(s.id(), "stdout"));
        engine.remove(s.id(), false, true);
    }

    @Test
    void userWorkdirEnvAndReadOnlyRootfsAreApplied() {
        ContainerSpec.Builder b = busybox("sh", "-c",
                "id -u; id -g; pwd; echo $GREETING; touch /cannot 2>/dev/null && echo writable || echo read-only; touch /tmp/x 2>/dev/null && echo tmp-writable || echo tmp-read-only");
        b.readOnlyRootfs(true).mount(dev.hutch.spec.Mount.tmpfs("/tmp", java.util.Map.of()));
        b.process().user("1000:1000").workdir("/home").env("GREETING", "hi there");
        Started s = engine.run(b.build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        assertEquals("1000\n1000\n/home\nhi there\nread-only\ntmp-writable\n", logText(s.id(), "stdout"));
        engine.remove(s.id(), false, true);
    }

    @Test
    void hostNetworkSharesTheHostsNetworkNamespace() throws Exception {
        Started s = engine.run(ContainerSpec.builder("busybox").command("sleep", "100").network("host").build(), true);
        try {
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                    Files.readSymbolicLink(Path.of("/proc/" + s.state().pid() + "/ns/net")));
            assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")),
                    Files.readSymbolicLink(Path.of("/proc/" + s.state().pid() + "/ns/pid")), "the rest stays isolated");
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void theExitCodeIsTheCommands() {
        Started s = engine.run(busybox("sh", "-c", "exit 3").build(), true);
        assertEquals(3, engine.waitFor(s.id()));
        assertEquals(3, engine.inspect(s.id()).exitCode());
        engine.remove(s.id(), false, true);
    }

    @Test
    void logsKeepStdoutAndStderrApart() {
        Started s = engine.run(busybox("sh", "-c", "echo to-out; echo to-err >&2").build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        assertEquals("to-out\n", logText(s.id(), "stdout"));
        assertEquals("to-err\n", logText(s.id(), "stderr"));
        engine.remove(s.id(), false, true);
    }

    @Test
    void rmRemovesEverythingTheContainerHad() throws Exception {
        ContainerSpec.Builder b = busybox("sleep", "100");
        b.resources().memory(32L << 20);
        Started s = engine.run(b.build(), true);
        List<Path> cgroups = engine.cgroup(s.id()).paths();
        Path data = roots.config().containerDataDir(s.id());
        assertTrue(Files.isDirectory(data));
        assertFalse(cgroups.isEmpty());
        HutchException running = assertThrows(HutchException.class, () -> engine.remove(s.id(), false, false));
        assertTrue(running.getMessage().contains("running"), running.getMessage());
        engine.remove(s.id(), true, true);
        assertFalse(Files.exists(roots.config().containerStateDir(s.id())), "state dir");
        assertFalse(Files.exists(data), "data dir");
        for (Path c : cgroups) assertFalse(Files.exists(c), "cgroup " + c);
        assertFalse(Files.exists(Path.of("/proc/" + s.state().pid())) && engine.list(true).stream().anyMatch(x -> x.id().equals(s.id())));
    }

    @Test
    void aFailedRunLeavesNothing() {
        int before = roots.leftoverContainers().size();
        HutchException notFound = assertThrows(HutchException.class,
                () -> engine.run(busybox("no-such-command").build(), true));
        assertEquals(127, notFound.exitCode(), notFound.getMessage());
        HutchException noImage = assertThrows(HutchException.class,
                () -> engine.run(ContainerSpec.builder("no-such-image").command("true").build(), true));
        assertEquals(125, noImage.exitCode());
        assertTrue(noImage.getMessage().contains("no-such-image"), noImage.getMessage());
        HutchException notExecutable = assertThrows(HutchException.class,
                () -> engine.run(busybox("/etc/passwd").build(), true));
        assertEquals(126, notExecutable.exitCode(), notExecutable.getMessage());
        HutchException badName = assertThrows(HutchException.class,
                () -> engine.run(busybox("true").name("a/b").build(), true));
        assertEquals(125, badName.exitCode());
        assertEquals(before, roots.leftoverContainers().size(), "no state dir left");
        assertEquals(List.of(), roots.leftoverCgroups(), "no cgroup left");
        assertEquals(List.of(), engine.list(true).stream().map(ContainerState::name).toList());
    }

    @Test
    void aDuplicateNameIsRefusedAndChangesNothing() {
        String name = "dup-" + roots.tag();
        Started s = engine.run(busybox("sleep", "100").name(name).build(), true);
        try {
            HutchException e = assertThrows(HutchException.class, () -> engine.run(busybox("true").name(name).build(), true));
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            assertEquals(1, engine.list(true).size());
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void execJoinsTheContainersNamespacesAndReturnsItsExitCode() {
        Started s = engine.run(busybox("sleep", "100").hostname("exec-" + roots.tag()).build(), true);
        try {
            var r = engine.execCapture(s.id(), dev.hutch.spec.ExecSpec.of("sh", "-c", "hostname; echo $$; exit 7"));
            assertEquals(7, r.exitCode());
            List<String> lines = r.output().lines().toList();
            assertEquals("exec-" + roots.tag(), lines.get(0));
            assertTrue(Integer.parseInt(lines.get(1)) < 100, "a pid of the container's pid namespace: " + lines);
        } finally {
            engine.remove(s.id(), true, true);
        }
    }
}
