package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.state.Step;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * create, start and restart: a stopped container runs again with its id, name, writable layer
 * (seen from the host in its upper dir and from inside) and log (appended); its init, cgroup
 * (with its limits) and network are made anew; a start killed half-way is undone by the next
 * start or by rm -f; nothing is left behind.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StartRestartTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) {
        return HutchProcess.run(roots.environment(), List.of(), args);
    }

    static String inspect(String format, String name) {
        Result r = hutch("inspect", "-f", format, name);
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    @Test
    void startKeepsTheWritableLayerIdNameAndLogAndRemakesInitCgroupAndNetwork() throws Exception {
        String name = "again-" + roots.tag();
        Result r = hutch("run", "-d", "--name", name, "-m", "48m", "busybox", "sh", "-c", "echo ran; echo x >> /keep; exec sleep 300");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            long firstPid = Long.parseLong(inspect("{{.State.Pid}}", name));
            assertEquals(0, hutch("stop", "-t", "1", name).code());
            Path upper = upperDir(id);
            assertEquals("x\n", Files.readString(upper.resolve("keep")), "the first run's file, in the upper dir seen from the host");

            Result start = hutch("start", name);
            assertEquals(0, start.code(), start.err());
            assertEquals(name + "\n", start.out());
            assertEquals("running " + id, inspect("{{.State.Status}} {{.Id}}", name));
            long secondPid = Long.parseLong(inspect("{{.State.Pid}}", name));
            assertNotEquals(firstPid, secondPid, "a new init");
            assertTrue(Files.exists(Path.of("/proc/" + secondPid)), "its init runs on the host");
            assertEquals(upper, upperDir(id), "the same writable layer");
            // the command ran again over the kept file: two lines, seen from the host and from inside
            assertEquals("x\nx\n", Files.readString(upper.resolve("keep")));
            Result cat = hutch("exec", name, "cat", "/keep");
            assertEquals("x\nx\n", cat.out(), cat.err());
            assertEquals(50331648L, memoryLimit(id), "the cgroup is made again with its limit");
            assertTrue(cgroupProcs(id).contains(Long.toString(secondPid)), "the new init is in the new cgroup");
            assertFalse(inspect("{{.NetworkSettings.IPAddress}}", name).isEmpty(), "wired to the bridge again");
            assertEquals("up", hutch("exec", name, "cat", "/sys/class/net/eth0/operstate").out().trim());
            assertEquals("ran\nran\n", hutch("logs", name).out(), "the log is appended to");
            Result ps = hutch("ps", "--format", "{{.Names}}|{{.ID}}");
            assertTrue(ps.out().contains(name + "|" + id.substring(0, 12)), ps.out());
        } finally {
            assertEquals(0, hutch("rm", "-f", name).code());
        }
        assertNothingLeftOf(id);
    }

    @Test
    void restartOfARunningOneSendsSigtermThenKillsAfterTheTimeout() throws Exception {
        String name = "restart-" + roots.tag();
        // sh ignores nothing here: the TERM trap logs, then the script goes on, so only SIGKILL ends it
        Result r = hutch("run", "-d", "--network", "none", "--name", name, "busybox", "sh", "-c",
                "trap 'echo term-seen' TERM; echo up; while true; do sleep 0.1; done");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            awaitLog(name, "up\n");
            long firstPid = Long.parseLong(inspect("{{.State.Pid}}", name));
            Result restart = hutch("restart", "-t", "1", name);
            assertEquals(0, restart.code(), restart.err());
            assertEquals(name + "\n", restart.out());
            assertFalse(Files.exists(Path.of("/proc/" + firstPid)), "the first init is gone");
            assertEquals("running", inspect("{{.State.Status}}", name));
            assertNotEquals(firstPid, Long.parseLong(inspect("{{.State.Pid}}", name)));
            awaitLog(name, "up\nterm-seen\nup\n"); // SIGTERM was seen, then (after -t) the kill, then the new run
        } finally {
            assertEquals(0, hutch("rm", "-f", name).code());
        }
        assertNothingLeftOf(id);
    }

    @Test
    void createRecordsAContainerOnDiskThatStartRuns() throws Exception {
        String name = "created-" + roots.tag();
        Result c = hutch("create", "--network", "none", "--name", name, "-e", "GREETING=hi", "busybox", "sh", "-c", "echo $GREETING; echo y > /made");
        assertEquals(0, c.code(), c.err());
        String id = c.out().trim();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        try {
            assertEquals("created", JsonReader.of(Json.parse(Files.readString(roots.config().containerStateDir(id).resolve("config.json"))))
                    .string("status"));
            Result ps = hutch("ps", "-a", "--format", "{{.Names}}|{{.Status}}");
            assertTrue(ps.out().contains(name + "|Created"), ps.out());
            assertFalse(hutch("ps", "--format", "{{.Names}}").out().contains(name), "not running");
            assertTrue(cgroupPaths(id).isEmpty(), "no cgroup before start");

            Result a = hutch("start", "-a", name);
            assertEquals(0, a.code(), a.err());
            assertEquals("hi\n", a.out());
            assertEquals("y\n", Files.readString(upperDir(id).resolve("made")));
            assertEquals("exited 0", inspect("{{.State.Status}} {{.State.ExitCode}}", name));
            // a start of the exited one: again in the foreground, the same file there
            Result again = hutch("start", "-a", name);
            assertEquals(0, again.code(), again.err());
            assertEquals("hi\nhi\n", hutch("logs", name).out());
        } finally {
            assertEquals(0, hutch("rm", "-f", name).code());
        }
        assertNothingLeftOf(id);
    }

    @Test
    void badInputGivesDockersLinesAndChangesNothing() throws Exception {
        String missing = "nosuch-" + roots.tag();
        Result start = hutch("start", missing);
        assertEquals(1, start.code());
        assertEquals("Error: no such container: " + missing + " (see `hutch ps -a`)\nError: failed to start containers: " + missing + "\n",
                start.err());
        Result restart = hutch("restart", missing);
        assertEquals(1, restart.code());
        assertEquals("Error: no such container: " + missing + " (see `hutch ps -a`)\n", restart.err());
        Result noArgs = hutch("start");
        assertEquals(125, noArgs.code());
        Result badCreate = hutch("create", "--name", "bad-" + roots.tag(), "-m", "12xb", "busybox", "true");
        assertEquals(125, badCreate.code());
        assertTrue(badCreate.err().contains("12xb"), badCreate.err());
        assertEquals(List.of(), roots.leftoverContainers(), "a refused create records nothing");

        // start of a running container does nothing (as docker): same init, exit 0, its name printed
        String name = "running-" + roots.tag();
        Result r = hutch("run", "-d", "--network", "none", "--name", name, "busybox", "sleep", "300");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            String pid = inspect("{{.State.Pid}}", name);
            Result again = hutch("start", name);
            assertEquals(0, again.code(), again.err());
            assertEquals(name + "\n", again.out());
            assertEquals(pid, inspect("{{.State.Pid}}", name));
            Result attach = hutch("start", "-a", name);
            assertEquals(1, attach.code());
            assertTrue(attach.err().contains("is running already"), attach.err());
            assertEquals(0, hutch("pause", name).code());
            Result paused = hutch("start", name);
            assertEquals(1, paused.code());
            assertEquals("Error: cannot start a paused container " + name + ", try unpause instead\n"
                    + "Error: failed to start containers: " + name + "\n", paused.err());
            assertEquals(0, hutch("unpause", name).code());
            assertEquals(pid, inspect("{{.State.Pid}}", name), "still the same init");
        } finally {
            assertEquals(0, hutch("rm", "-f", name).code());
        }
        assertNothingLeftOf(id);
    }

    @Test
    void aStartRefusedByAHostCheckLeavesTheContainerStoppedAndStartableLater() throws Exception {
        String name = "refused-" + roots.tag();
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Result r = hutch("run", "--name", name, "-p", "127.0.0.1:" + port + ":80", "busybox", "sh", "-c", "echo w >> /kept");
        assertEquals(0, r.code(), r.err());
        String id = inspect("{{.Id}}", name);
        try {
            try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                Result refused = hutch("start", name);
                assertEquals(1, refused.code());
                assertTrue(refused.err().contains("host port " + port + "/tcp on 127.0.0.1 is in use"), refused.err());
                assertTrue(refused.err().endsWith("Error: failed to start containers: " + name + "\n"), refused.err());
                assertEquals("exited 0", inspect("{{.State.Status}} {{.State.ExitCode}}", name), "stopped again, not dead");
            }
            Result start = hutch("start", "-a", name);
            assertEquals(0, start.code(), start.err());
            assertEquals("w\nw\n", Files.readString(upperDir(id).resolve("kept")));
        } finally {
            assertEquals(0, hutch("rm", "-f", name).code());
        }
        assertNothingLeftOf(id);
    }

    @Test
    void aStartKilledHalfWayIsUndoneByTheNextStartOrByRm() throws Exception {
        // Through the engine service the start runs in the service, which killing the client does not
        // end (CrashSafetyTest runs in-process only, for the same reason).
        org.junit.jupiter.api.Assumptions.assumeFalse(HutchProcess.viaService(),
                "skipped through the engine service: killing its client does not kill the start (runs in-process)");
        String name = "crashstart-" + roots.tag();
        Result r = hutch("run", "--name", name, "-m", "40m", "busybox", "sh", "-c", "echo z >> /kept");
        assertEquals(0, r.code(), r.err());
        String id = hutch("inspect", "-f", "{{.Id}}", name).out().trim();
        try {
            for (String step : List.of(Step.CGROUP, Step.HELPER)) {
                Path hold = roots.dir().resolve("hold-start-" + step);
                Map<String, String> env = new HashMap<>(roots.environment());
                env.put("HUTCH_TEST_HOLD_AT", step);
                env.put("HUTCH_TEST_HOLD_FILE", hold.toString());
                List<String> cmd = new ArrayList<>(HutchProcess.command(List.of(), "start", name));
                ProcessBuilder pb = HutchProcess.withServiceEnvironment(new ProcessBuilder(cmd)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD));
                pb.environment().putAll(env);
                Process cli = pb.start();
                try {
                    long deadline = System.currentTimeMillis() + 120_000;
                    while (!Files.exists(hold)) {
                        assertTrue(cli.isAlive(), "hutch start ended before the hold at " + step);
                        assertTrue(System.currentTimeMillis() < deadline, "never reached the hold at " + step);
                        Thread.sleep(10);
                    }
                    cli.destroyForcibly(); // SIGKILL to the pid we started
                    assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
                } finally {
                    if (cli.isAlive()) cli.destroyForcibly();
                    Files.deleteIfExists(hold);
                }
                if (step.equals(Step.CGROUP)) {
                    Result ps = hutch("ps", "-a", "--format", "{{.Names}}|{{.State}}");
                    assertTrue(ps.out().contains(name + "|dead"), "an interrupted start is shown dead: " + ps.out());
                }
                // the next start undoes what the killed one left, and keeps the layer
                Result start = hutch("start", "-a", name);
                assertEquals(0, start.code(), start.err());
                assertEquals(0, Long.parseLong(inspect("{{.State.ExitCode}}", name)));
            }
            assertEquals("z\nz\nz\n", Files.readString(upperDir(id).resolve("kept")));
            // killed once more, then removed: rm -f undoes it all
            Path hold = roots.dir().resolve("hold-start-net");
            Map<String, String> env = new HashMap<>(roots.environment());
            env.put("HUTCH_TEST_HOLD_AT", Step.NETWORK);
            env.put("HUTCH_TEST_HOLD_FILE", hold.toString());
            ProcessBuilder pb = HutchProcess.withServiceEnvironment(new ProcessBuilder(HutchProcess.command(List.of(), "start", name))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD));
            pb.environment().putAll(env);
            Process cli = pb.start();
            try {
                while (!Files.exists(hold)) {
                    assertTrue(cli.isAlive(), "hutch start ended before the hold");
                    Thread.sleep(10);
                }
                cli.destroyForcibly();
                assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
            } finally {
                if (cli.isAlive()) cli.destroyForcibly();
                Files.deleteIfExists(hold);
            }
        } finally {
            Result rm = hutch("rm", "-f", name);
            assertEquals(0, rm.code(), rm.err());
        }
        assertNothingLeftOf(id);
    }

    // ---- what the host shows ------------------------------------------------------------------

    private static Map<String, Object> record(String id) throws IOException {
        return JsonReader.of(Json.parse(Files.readString(roots.config().containerStateDir(id).resolve("config.json")))).raw();
    }

    private static Path upperDir(String id) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> rootfs = (Map<String, Object>) record(id).get("rootfs");
        return Path.of((String) rootfs.get("upperDir"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> cgroupPaths(String id) throws IOException {
        return (List<String>) record(id).get("cgroupPaths");
    }

    /** memory.max (v2) or memory.limit_in_bytes (v1) in the container's own cgroups; -1 if it has none. */
    private static long memoryLimit(String id) throws IOException {
        for (String p : cgroupPaths(id)) {
            for (String f : List.of("memory.max", "memory.limit_in_bytes")) {
                Path file = Path.of(p, f);
                if (Files.exists(file) && (f.equals("memory.max") || p.contains("/memory/"))) return Long.parseLong(Files.readString(file).trim());
            }
        }
        return -1;
    }

    private static String cgroupProcs(String id) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String p : cgroupPaths(id)) {
            Path procs = Path.of(p, "cgroup.procs");
            if (Files.exists(procs)) sb.append(Files.readString(procs));
        }
        return sb.toString();
    }

    private static void awaitLog(String name, String expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        String out = "";
        while (System.currentTimeMillis() < deadline) {
            out = hutch("logs", name).out();
            if (out.equals(expected)) return;
            Thread.sleep(100);
        }
        assertEquals(expected, out);
    }

    private static void assertNothingLeftOf(String id) {
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "the state dir is gone");
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "the data dir (and its upper dir) is gone");
        assertEquals(List.of(), roots.leftoverCgroups().stream().filter(p -> p.toString().contains(id)).toList());
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
