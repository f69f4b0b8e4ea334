package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.state.Step;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import dev.hutch.util.ProcStat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A hutch killed (SIGKILL) at each journaled step of {@code run}: the container is listed by
 * {@code ps -a} with a truthful status, {@code rm -f} undoes exactly what was done, and the name
 * is free again. The CLI is held at the step through the test-only hold (util.StepHold), and
 * killed by the pid of the process this test started. Everything is observed from outside: the
 * test's run and lib roots, its cgroups, lease files, /proc of the recorded pids.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CrashSafetyTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) {
        return HutchProcess.run(roots.environment(), List.of(), args);
    }

    @ParameterizedTest
    @ValueSource(strings = {Step.RECORD, Step.NAME, Step.DIRS, Step.CGROUP, Step.NETWORK, Step.HELPER, Step.GO})
    void aHutchKilledAtEachStepLeavesAContainerThatRmFullyUndoes(String step) throws Exception {
        String name = "crash-" + step + "-" + roots.tag();
        Path hold = roots.dir().resolve("hold-" + step);
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("HUTCH_TEST_HOLD_AT", step);
        env.put("HUTCH_TEST_HOLD_FILE", hold.toString());
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        if (step.equals(Step.GO)) args.addAll(List.of("-p", "127.0.0.1:0:80")); // NAT rules too
        args.addAll(List.of("busybox", "sleep", "300"));
        Process cli = start(env, args);
        try {
            awaitFile(hold, cli);
            String id = onlyContainer();
            Map<String, Object> record = record(id);
            cli.destroyForcibly(); // SIGKILL to the pid we started
            assertTrue(cli.waitFor(30, TimeUnit.SECONDS));
            Files.deleteIfExists(hold);

            long monitorPid = number(record, "monitorPid"), monitorStart = number(record, "monitorStartTime");
            if (step.equals(Step.HELPER)) {
                // The helper notices that its engine is gone and exits on its own, leaving nothing.
                assertTrue(monitorPid > 0, "the monitor's pid was journaled when it was spawned");
                awaitGone(monitorPid, monitorStart, 20_000);
            }

            Result ps = hutch("ps", "-a", "--format", "{{.Names}}|{{.State}}|{{.Status}}");
            assertEquals(0, ps.code(), ps.err());
            String line = ps.out().lines().filter(l -> l.startsWith(name + "|")).findFirst()
                    .orElseThrow(() -> new AssertionError("ps -a does not list " + name + ": " + ps.out()));
            if (List.of(Step.RECORD, Step.NAME, Step.DIRS, Step.CGROUP, Step.NETWORK).contains(step))
                assertEquals(name + "|dead|Dead (interrupted at " + step + ")", line);
            else
                assertTrue(line.matches(".*\\|(dead|exited|running)\\|.*"), line);

            Result rm = hutch("rm", "-f", name);
            assertEquals(0, rm.code(), rm.err());
            assertNothingLeftOf(id, name, record);

            if (List.of(Step.RECORD, Step.NAME, Step.DIRS).contains(step)) {
                // the name is free again
                Result again = hutch("run", "--rm", "--network", "none", "--name", name, "busybox", "true");
                assertEquals(0, again.code(), again.err());
                assertEquals(List.of(), roots.leftoverContainers());
            }
        } finally {
            if (cli.isAlive()) cli.destroyForcibly();
            Files.deleteIfExists(hold);
        }
    }

    @Test
    void aCorruptRecordIsListedAsSuchAndRmFRemovesIt() throws Exception {
        String good = "good-" + roots.tag(), bad = "bad-" + roots.tag();
        assertEquals(0, hutch("run", "-d", "--network", "none", "--name", good, "busybox", "sleep", "300").code());
        Result started = hutch("run", "-d", "--name", bad, "busybox", "sleep", "300");
        assertEquals(0, started.code(), started.err());
        String id = started.out().trim();
        Map<String, Object> record = record(id);
        Files.writeString(roots.config().containerStateDir(id).resolve("config.json"), "{\"id\": \"" + id.substring(0, 7));
        try {
            Result ps = hutch("ps", "-a", "--no-trunc", "--format", "{{.ID}}|{{.Names}}|{{.Status}}");
            assertEquals(0, ps.code(), ps.err());
            assertTrue(ps.out().contains(id + "|<damaged>|Dead (damaged record: config.json is not a valid record"), ps.out());
            assertTrue(ps.out().lines().anyMatch(l -> l.contains("|" + good + "|Up ")), ps.out());
            Result running = hutch("ps");
            assertEquals(0, running.code(), running.err());
            assertTrue(running.out().contains(good), running.out());
            Result stats = hutch("stats", "--no-stream");
            assertEquals(0, stats.code(), stats.err());

            Result rm = hutch("rm", "-f", id.substring(0, 12));
            assertEquals(0, rm.code(), rm.err());
            assertNothingLeftOf(id, bad, record);
        } finally {
            hutch("rm", "-f", good);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void noSuchContainerExitsOneFromEveryVerb() {
        for (String[] verb : List.of(new String[] {"logs"}, new String[] {"exec"}, new String[] {"inspect"},
                new String[] {"stop"}, new String[] {"rm"}, new String[] {"kill"}, new String[] {"commit"},
                new String[] {"wait"}, new String[] {"pause"})) {
            List<String> args = new ArrayList<>(List.of(verb));
            args.add("nosuch-" + roots.tag());
            if (verb[0].equals("exec")) args.add("true");
            Result r = hutch(args.toArray(String[]::new));
            assertEquals(1, r.code(), verb[0] + ": " + r.err());
            assertTrue(r.err().toLowerCase().contains("no such container"), verb[0] + ": " + r.err());
        }
    }

    // ---- observations -----------------------------------------------------------------------

    private static void assertNothingLeftOf(String id, String name, Map<String, Object> record) throws Exception {
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "state dir");
        assertFalse(roots.leftoverContainers().stream().anyMatch(n -> n.contains(id)), "state dirs: " + roots.leftoverContainers());
        assertFalse(Files.exists(roots.config().runRoot().resolve("names").resolve(name)), "name file");
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "data dir");
        assertEquals(List.of(), roots.leftoverCgroups().stream().filter(p -> p.getFileName().toString().equals(id)).toList(), "cgroups");
        assertEquals(List.of(), leases(id), "address leases");
        assertFalse(Files.exists(roots.config().netnsDir().resolve("hutch-" + name), java.nio.file.LinkOption.NOFOLLOW_LINKS), "netns file");
        for (String key : List.of("pid", "monitorPid")) {
            long pid = number(record, key);
            long start = number(record, key.equals("pid") ? "pidStartTime" : "monitorStartTime");
            if (pid > 0) awaitGone(pid, start, 10_000);
        }
        String veth = "hv" + id.substring(0, 10) + "0";
        assertFalse(Files.exists(Path.of("/sys/class/net", veth)), "veth " + veth);
    }

    /** Lease files under the test's lib root that name this container. */
    private static List<String> leases(String id) throws IOException {
        Path nets = roots.config().networksDir();
        if (!Files.isDirectory(nets)) return List.of();
        try (Stream<Path> s = Files.walk(nets)) {
            return s.filter(p -> p.getParent() != null && p.getParent().getFileName().toString().equals("leases"))
                    .filter(p -> {
                        try {
                            return Files.readString(p).contains(id);
                        } catch (IOException e) {
                            return false;
                        }
                    }).map(Path::toString).toList();
        }
    }

    private static Process start(Map<String, String> env, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(roots.dir().resolve("cli-" + args.get(3) + ".err").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static void awaitFile(Path f, Process cli) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(f)) {
            if (!cli.isAlive()) fail("hutch ended (exit " + cli.exitValue() + ") before it reached the hold");
            if (System.currentTimeMillis() > deadline) fail("hutch never reached the hold " + f);
            Thread.sleep(10);
        }
    }

    private static String onlyContainer() {
        List<String> ids = roots.leftoverContainers().stream().filter(n -> !n.startsWith(".")).toList();
        assertEquals(1, ids.size(), "one record: " + ids);
        return ids.get(0);
    }

    private static Map<String, Object> record(String id) throws IOException {
        return JsonReader.of(Json.parse(Files.readString(roots.config().containerStateDir(id).resolve("config.json")))).raw();
    }

    private static long number(Map<String, Object> record, String key) {
        return record.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static void awaitGone(long pid, long start, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (ProcStat.isAlive(Path.of("/proc"), pid, start)) {
            if (System.currentTimeMillis() > deadline) fail("process " + pid + " is still there");
            Thread.sleep(20);
        }
    }
}
