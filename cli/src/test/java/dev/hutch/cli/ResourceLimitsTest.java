package dev.hutch.cli;

import dev.hutch.cgroup.CgroupStats;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.json.Json;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ContainerState;
import dev.hutch.state.ExitRecord;
import dev.hutch.testing.RequiresCgroupV2;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Resource limits on real containers, observed from outside: the cgroup files and counters, the
 * monitor's exit record, and the CLI verbs (update, pause, unpause, ps, stats) as a user runs them.
 */
@RequiresRoot
class ResourceLimitsTest {
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

    private static Started start(String script, Consumer<dev.hutch.spec.Resources.Builder> limits) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").command("sh", "-c", script).network("none");
        limits.accept(b.resources());
        return engine.run(b.build(), true);
    }

    /** The file in whichever of the container's cgroup directories has it (v1: one dir per controller). */
    private static Path cgroupFile(String id, String... names) {
        // names first: on a hybrid host the v2 directory (for the device program) also has cgroup.freeze
        for (String n : names)
            for (String dir : engine.inspect(id).cgroupPaths()) if (Files.exists(Path.of(dir, n))) return Path.of(dir, n);
        throw new AssertionError("no cgroup dir of " + id + " has any of " + List.of(names));
    }

    private static String read(Path p) throws Exception { return Files.readString(p).trim(); }

    /** Runs the CLI as a user would, against this test's roots; returns [exit code, stdout]. */
    private static Object[] cli(String... args) {
        List<String> argv = new ArrayList<>(List.of("--run-root", roots.config().runRoot().toString(),
                "--lib-root", roots.config().libRoot().toString(), "--cgroup-parent", roots.config().cgroupParent()));
        argv.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println("$ hutch " + String.join(" ", args) + "  -> " + rc + "\n" + text + err.toString(StandardCharsets.UTF_8));
        return new Object[] {rc, text};
    }

    /** The monitor's exit record (waiting on it, not on the status, avoids reading an exit before it is written). */
    private static ExitRecord awaitExit(String id) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            ExitRecord r = engine.exitRecord(id);
            if (r != null) return r;
            Thread.sleep(10);
        }
        throw new AssertionError("container " + id + " did not exit within 30 s");
    }

    @Test
    void halfACpuIsThrottledToHalf() throws Exception {
        // Two busy loops want two cpus; the quota allows half of one.
        Started s = start("(while :; do :; done) & (while :; do :; done) & wait", r -> r.cpus(0.5));
        try {
            Path quota = cgroupFile(s.id(), "cpu.cfs_quota_us", "cpu.max");
            assertTrue(read(quota).startsWith("50000"), quota + ": " + read(quota));
            Thread.sleep(1000);
            CgroupStats before = engine.stats(s.id());
            long t0 = System.nanoTime();
            Thread.sleep(2000);
            CgroupStats after = engine.stats(s.id());
            double used = CgroupStats.cpuFraction(before, after, System.nanoTime() - t0);
            System.out.printf("--cpus 0.5: used %.3f cpus, throttled in %d of %d periods%n", used,
                    after.throttledPeriods() - before.throttledPeriods(), after.periods() - before.periods());
            assertTrue(after.throttledPeriods() > before.throttledPeriods(), "the quota ran out in some periods");
            assertTrue(used <= 0.55, "the quota holds usage to half a cpu: " + used);
            assertTrue(used >= 0.30, "two spinners get (near) their half cpu: " + used);
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    /** The oom lines of the container in the engine's event journal. */
    private static long oomEvents(String id) throws Exception {
        Path journal = engine.events().file();
        if (!Files.exists(journal)) return 0;
        return Files.readAllLines(journal).stream().filter(l -> l.contains("\"action\":\"oom\"") && l.contains(id)).count();
    }

    @Test
    void aKillInAContainerThatRunsOnIsAnOomEventAsItHappens() throws Exception {
        // the kernel kills dd (the largest process); the shell runs on
        Started s = start("dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-ended; exec sleep 300", r -> r.memory(16L << 20));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (oomEvents(s.id()) == 0 && System.nanoTime() < deadline) Thread.sleep(100);
            assertEquals(1, oomEvents(s.id()), "the monitor wrote docker's oom event as the kernel killed");
            assertTrue(engine.inspect(s.id()).isRunning(), "while the container runs on");
            assertTrue(engine.cgroup(s.id()).oomKilled(), "the cgroup's oom_kill count says so");
        } finally {
            engine.remove(s.id(), true, true);
        }
        assertEquals(1, oomEvents(s.id()), "no second oom for the same kill at the end");
    }

    @Test
    void overTheMemoryLimitTheKernelKillsIt() throws Exception {
        Started s = start("x=$(head -c 100m /dev/zero | tr '\\0' a); echo survived", r -> r.memory(32L << 20));
        try {
            assertEquals(Long.toString(32L << 20), read(cgroupFile(s.id(), "memory.limit_in_bytes", "memory.max")));
            ExitRecord exit = awaitExit(s.id());
            assertEquals(137, exit.exitCode());
            assertTrue(engine.cgroup(s.id()).oomKilled(), "the cgroup's oom_kill count says so");
            CgroupStats st = engine.stats(s.id());
            System.out.println("peak " + st.memoryMaxUsage() + " bytes, oom kills " + st.oomKills());
            assertTrue(st.memoryMaxUsage() <= 32L << 20, "peak stayed under the limit: " + st.memoryMaxUsage());
            Object[] inspect = cli("inspect", s.id());
            assertEquals(0, inspect[0]);
            assertTrue(((String) inspect[1]).replace(" ", "").contains("\"OOMKilled\":true"), (String) inspect[1]);
            assertTrue(engine.inspect(s.id()).oomKilled());
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void aForkLoopStopsAtThePidsLimit() throws Exception {
        // busybox sh gives up at the first failed fork: the loop runs in an inner shell, the outer
        // one takes the slot it frees and keeps the container up.
        Started s = start("sh -c 'i=0; while [ $i -lt 100 ]; do sleep 60 & i=$((i+1)); done; wait' 2>/dev/null; sleep 60 & wait",
                r -> r.pidsLimit(20L));
        try {
            assertEquals("20", read(cgroupFile(s.id(), "pids.max")));
            long highest = 0;
            for (int i = 0; i < 100; i++) {
                highest = Math.max(highest, engine.stats(s.id()).pids());
                Thread.sleep(20);
            }
            System.out.println("--pids-limit 20: highest count " + highest);
            assertEquals(20, highest, "the loop tried 100 processes; the kernel allowed 20");
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void updateRewritesTheLiveCgroup() throws Exception {
        Started s = start("sleep 60", r -> r.cpus(0.5).memory(64L << 20).pidsLimit(50L));
        try {
            Object[] r = cli("update", "--cpus", "0.25", "-m", "48m", "--pids-limit", "30", s.name());
            assertEquals(0, r[0]);
            assertTrue(read(cgroupFile(s.id(), "cpu.cfs_quota_us", "cpu.max")).startsWith("25000"));
            assertEquals(Long.toString(48L << 20), read(cgroupFile(s.id(), "memory.limit_in_bytes", "memory.max")));
            assertEquals("30", read(cgroupFile(s.id(), "pids.max")));
            assertEquals(0.25, engine.inspect(s.id()).spec().resources().cpus(), "the new limits are recorded");
            Object[] bad = cli("update", "--cpu-shares", "1", s.name());
            assertNotEquals(0, bad[0], "a value the kernel would refuse is refused before it is written");
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void pauseFreezesAndPsSaysPaused() throws Exception {
        Started s = start("sleep 60", r -> {});
        try {
            assertEquals(0, cli("pause", s.name())[0]);
            Path state = cgroupFile(s.id(), "freezer.state", "cgroup.freeze");
            assertTrue(read(state).equals("FROZEN") || read(state).equals("1"), state + ": " + read(state));
            assertTrue(engine.cgroup(s.id()).frozen());
            assertTrue(((String) cli("ps", "--format", "{{.Names}} {{.Status}}")[1]).contains(s.name() + " Up"));
            assertTrue(((String) cli("ps")[1]).contains("(Paused)"));
            assertEquals(0, cli("unpause", s.name())[0]);
            assertTrue(read(state).equals("THAWED") || read(state).equals("0"), state + ": " + read(state));
            assertFalse(((String) cli("ps")[1]).contains("(Paused)"));
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    void statsNoStreamAsJson() throws Exception {
        Started s = start("sleep 60", r -> r.memory(64L << 20).pidsLimit(50L));
        try {
            Object[] r = cli("stats", "--no-stream", "--format", "json", s.name());
            assertEquals(0, r[0]);
            Map<String, Object> row = Json.parseObject(((String) r[1]).trim());
            assertEquals(s.name(), row.get("Name"));
            assertTrue(((String) row.get("MemUsage")).endsWith("/ 64MiB"), row.toString());
            assertTrue(Long.parseLong((String) row.get("PIDs")) >= 1, row.toString());
            Object[] table = cli("stats", "--no-stream", s.name());
            assertTrue(((String) table[1]).startsWith("CONTAINER ID"));
            assertTrue(((String) table[1]).contains("HOST: "));
        } finally {
            engine.remove(s.id(), true, true);
        }
    }
    // --- the files only a cgroup v2 hierarchy has (run on the pure-v2 guest: scripts/guest/) ----

    /** The container's one directory on the unified hierarchy. */
    private static Path v2Dir(String id) {
        Path mount = dev.hutch.testing.HostConditions.cgroupV2Mount();
        for (String dir : engine.inspect(id).cgroupPaths()) if (Path.of(dir).startsWith(mount)) return Path.of(dir);
        throw new AssertionError("no cgroup of " + id + " on the v2 hierarchy " + mount + ": " + engine.inspect(id).cgroupPaths());
    }

    /** One key of a flat-keyed file such as memory.events or cpu.stat. */
    private static long key(Path file, String key) throws Exception {
        for (String line : Files.readAllLines(file)) {
            String[] kv = line.trim().split("\\s+");
            if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
        }
        throw new AssertionError(file + " has no " + key + ": " + read(file));
    }

    @Test
    @RequiresCgroupV2(controllers = {"cpu", "memory"})
    void cpuWeightAndTheSwapSplitAreWrittenTheV2Way() throws Exception {
        Started s = start("sleep 60", r -> r.cpus(1.5).cpuShares(512L).memory(64L << 20).memorySwap(96L << 20).memoryReservation(16L << 20));
        Started onlyMemory = start("sleep 60", r -> r.memory(64L << 20));
        try {
            Path dir = v2Dir(s.id());
            assertEquals("150000 100000", read(dir.resolve("cpu.max")));
            assertEquals("20", read(dir.resolve("cpu.weight")), "runc's shares-to-weight formula: 1 + (512-2)*9999/262142");
            assertEquals(Long.toString(64L << 20), read(dir.resolve("memory.max")));
            assertEquals(Long.toString(32L << 20), read(dir.resolve("memory.swap.max")), "--memory-swap is memory+swap; v2 wants the swap alone");
            assertEquals(Long.toString(16L << 20), read(dir.resolve("memory.low")));
            assertEquals(Long.toString(64L << 20), read(v2Dir(onlyMemory.id()).resolve("memory.swap.max")),
                    "-m alone allows as much swap again, as docker does");
        } finally {
            engine.remove(s.id(), true, true);
            engine.remove(onlyMemory.id(), true, true);
        }
    }

    @Test
    @RequiresCgroupV2(controllers = "memory")
    void theOomKillIsReadFromMemoryEvents() throws Exception {
        Started s = start("x=$(head -c 100m /dev/zero | tr '\\0' a); echo survived", r -> r.memory(24L << 20).memorySwap(24L << 20));
        try {
            assertEquals(137, awaitExit(s.id()).exitCode());
            Path dir = v2Dir(s.id());
            assertEquals("0", read(dir.resolve("memory.swap.max")), "memory-swap equal to memory: no swap");
            long kills = key(dir.resolve("memory.events"), "oom_kill");
            System.out.println("memory.events after the hog: " + read(dir.resolve("memory.events")).replace('\n', ' '));
            assertTrue(kills >= 1, "the kernel counted the kill in memory.events: " + kills);
            assertEquals(kills, engine.stats(s.id()).oomKills());
            assertTrue(engine.inspect(s.id()).oomKilled());
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    @RequiresCgroupV2(controllers = "cpuset")
    void cpusetPinsTheContainerToOneCpu() throws Exception {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two cpus to pin to the second");
        Started s = start("grep Cpus_allowed_list /proc/self/status; sleep 60", r -> r.cpusetCpus("1"));
        try {
            Path dir = v2Dir(s.id());
            assertEquals("1", read(dir.resolve("cpuset.cpus")));
            assertEquals("1", read(dir.resolve("cpuset.cpus.effective")), "the kernel applied it");
            String line = awaitLog(s.id(), "Cpus_allowed_list");
            assertTrue(line.matches("Cpus_allowed_list:\\s+1"), "inside, the process may run on cpu 1 only: " + line);
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    @RequiresCgroupV2(controllers = "io")
    void deviceRatesGoToIoMax() throws Exception {
        String disk = List.of("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda").stream().filter(d -> Files.exists(Path.of(d)))
                .findFirst().orElse(null);
        Assumptions.assumeTrue(disk != null, "no /dev/vda, sda, nvme0n1 or xvda on this host to throttle");
        Started s = start("sleep 60", r -> r.deviceReadBps(new dev.hutch.spec.Resources.DeviceRate(disk, 1L << 20))
                .deviceWriteBps(new dev.hutch.spec.Resources.DeviceRate(disk, 2L << 20)));
        try {
            String ioMax = read(v2Dir(s.id()).resolve("io.max"));
            assertTrue(ioMax.matches("\\d+:\\d+ rbps=1048576 wbps=2097152 riops=max wiops=max"), "io.max: " + ioMax);
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    @Test
    @RequiresCgroupV2(controllers = {"cpu", "memory", "pids"})
    void statsComeFromTheV2Files() throws Exception {
        Started s = start("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 60", r -> r.memory(64L << 20).pidsLimit(50L));
        try {
            Path dir = v2Dir(s.id());
            Thread.sleep(1500);
            CgroupStats st = engine.stats(s.id());
            long usageUsec = key(dir.resolve("cpu.stat"), "usage_usec");
            System.out.println("stats: cpu " + st.cpuUsageNanos() + " ns (cpu.stat usage_usec " + usageUsec + "), memory " + st.memoryUsage()
                    + " of " + st.memoryLimit() + ", pids " + st.pids() + " of " + st.pidsLimit());
            assertTrue(st.cpuUsageNanos() > 0 && st.cpuUsageNanos() <= usageUsec * 1000 + 1_000_000_000L, "cpu from cpu.stat: " + st.cpuUsageNanos());
            assertTrue(st.memoryUsage() > 0, "memory.current");
            assertEquals(64L << 20, st.memoryLimit(), "memory.max");
            assertEquals(Long.parseLong(read(dir.resolve("pids.current"))), st.pids());
            assertEquals(50, st.pidsLimit(), "pids.max");
        } finally {
            engine.remove(s.id(), true, true);
        }
    }

    /** The first log line of the container that contains the text (waits up to 30 s). */
    private static String awaitLog(String id, String text) throws Exception {
        for (int i = 0; i < 300; i++) {
            for (dev.hutch.logs.LogEntry e : engine.logs(id).read(-1, null)) if (e.text().contains(text)) return e.text().trim();
            Thread.sleep(100);
        }
        throw new AssertionError("container " + id + " never printed " + text);
    }
}
