package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * hutch's OCI runtime driven by hand, the way callers do, on a bundle of hutch's busybox: every
 * verb, both flag spellings, runc's error strings, the json log, and the effects seen from outside
 * (the pid file's process, the cgroup's files under hutch's parent, the freezer). Needs root.
 */
@RequiresRoot
class OciCommandLineTest {
    static TestRoots roots;
    static Engine engine;
    static OciRuntimeUnderTest runtime;
    static Path bundle;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        InProcessCli cli = new InProcessCli(roots, engine);
        runtime = new OciRuntimeUnderTest(roots);
        String c = cli.runToEndKeeping(InProcessCli.container("busybox", "true").build());
        Path tar = roots.dir().resolve("rootfs.tar");
        assertEquals(0, cli.hutch("export", "-o", tar.toString(), c).code());
        engine.remove(c, false, true);
        bundle = Files.createDirectories(roots.dir().resolve("bundle"));
        Files.createDirectories(bundle.resolve("rootfs"));
        Process untar = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", bundle.resolve("rootfs").toString()).inheritIO().start();
        assertEquals(0, untar.waitFor());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (runtime != null)
            for (String id : List.of("life", "bad", "fg", "hooked", "hookfail")) runtime.run("delete", "--force", id);
        if (runtime != null) assertEquals(List.of(), runtime.leftoverStates());
        if (engine != null) for (var s : engine.list(true)) engine.remove(s.id(), true, true);
        if (roots != null) roots.close();
    }

    /** runc spec's shape, trimmed to what busybox needs. */
    static Map<String, Object> config(List<String> args) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ociVersion", "1.0.2");
        c.put("process", Map.of("terminal", false, "user", Map.of("uid", 0, "gid", 0), "args", args,
                "env", List.of("PATH=/bin:/usr/bin"), "cwd", "/",
                "capabilities", Map.of("bounding", List.of("CAP_KILL", "CAP_AUDIT_WRITE"), "permitted", List.of("CAP_KILL", "CAP_AUDIT_WRITE"))));
        c.put("root", Map.of("path", "rootfs"));
        c.put("hostname", "ocibox");
        c.put("mounts", List.of(
                Map.of("destination", "/proc", "type", "proc", "source", "proc"),
                Map.of("destination", "/dev", "type", "tmpfs", "source", "tmpfs", "options", List.of("nosuid", "strictatime", "mode=755", "size=65536k"))));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of(Map.of("type", "pid"), Map.of("type", "mount"), Map.of("type", "uts"),
                Map.of("type", "ipc"), Map.of("type", "network")));
        linux.put("resources", Map.of("memory", Map.of("limit", 48L << 20), "pids", Map.of("limit", 42)));
        linux.put("cgroupsPath", "/somewhere/else/entirely");
        c.put("linux", linux);
        return c;
    }

    static void writeConfig(Map<String, Object> c) throws Exception {
        Files.writeString(bundle.resolve("config.json"), Json.write(c));
    }

    /** Like a caller: the runtime's stdout and stderr are files the container keeps writing to. */
    static int runtimeToFiles(Path out, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(runtime.script.toString(), "--root", runtime.root.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(out.toFile())
                .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return p.exitValue();
    }

    static JsonReader state(String id) {
        HutchProcess.Result r = runtime.run("state", id);
        assertEquals(0, r.code(), r.err());
        return JsonReader.of(Json.parse(r.out()));
    }

    @Test
    void versionAndFeatures() {
        HutchProcess.Result v = runtime.run("--version");
        assertEquals(0, v.code());
        List<String> lines = v.out().lines().toList();
        assertEquals(3, lines.size(), v.out());
        assertTrue(lines.get(0).startsWith("hutch-runc version "), v.out());
        assertTrue(lines.get(1).startsWith("commit: "), v.out());
        assertEquals("spec: 1.2.0", lines.get(2));
        JsonReader f = JsonReader.of(Json.parse(runtime.run("features").out()));
        assertEquals("1.2.0", f.string("ociVersionMax"));
        HutchProcess.Result systemd = runtime.run("--systemd-cgroup", "list");
        assertEquals(1, systemd.code());
        assertTrue(systemd.err().contains("--systemd-cgroup is not supported"), systemd.err());
    }

    @Test
    void createStartPauseKillDelete() throws Exception {
        writeConfig(config(List.of("sh", "-c", "echo started; hostname; exec sleep 300")));
        Path pidFile = roots.dir().resolve("life.pid"), out = roots.dir().resolve("life.out");
        assertEquals(0, runtimeToFiles(out, "create", "--bundle=" + bundle, "--pid-file=" + pidFile, "life"), Files.readString(out.resolveSibling("life.out.err")));
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        JsonReader s = state("life");
        assertEquals("created", s.string("status"));
        assertEquals(pid, s.number("pid", -1));
        assertEquals(bundle.toString(), s.string("bundle"));
        assertTrue(s.string("created").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), s.string("created"));
        assertEquals("", Files.readString(out), "nothing runs before start");

        // limits in a cgroup under hutch's parent, not at cgroupsPath
        Path mem = Path.of("/sys/fs/cgroup/memory", roots.config().cgroupParent(), "oci-life", "memory.limit_in_bytes");
        Path v2 = Path.of("/sys/fs/cgroup", roots.config().cgroupParent(), "oci-life", "memory.max");
        String limit = Files.exists(mem) ? Files.readString(mem).strip() : Files.readString(v2).strip();
        assertEquals(Long.toString(48L << 20), limit);
        assertFalse(Files.exists(Path.of("/sys/fs/cgroup/memory/somewhere")), "nothing at the config's cgroupsPath");

        assertEquals(0, runtime.run("start", "life").code());
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.readString(out).contains("ocibox") && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertEquals("started\nocibox\n", Files.readString(out), "the runtime's stdout is the container's");
        assertEquals("running", state("life").string("status"));
        assertTrue(Json.parse(runtime.run("ps", "--format", "json", "life").out()).toString().contains(Long.toString(pid)));

        HutchProcess.Result notStopped = runtime.run("delete", "life");
        assertEquals(1, notStopped.code());
        assertTrue(notStopped.err().contains("that is not stopped: running"), notStopped.err());

        assertEquals(0, runtime.run("pause", "life").code());
        assertEquals("paused", state("life").string("status"));
        assertEquals(0, runtime.run("resume", "life").code());
        assertEquals("running", state("life").string("status"));

        Path resources = roots.dir().resolve("resources.json");
        Files.writeString(resources, "{\"memory\":{\"limit\":" + (32L << 20) + "},\"pids\":{\"limit\":17}}");
        HutchProcess.Result update = runtime.run("update", "--resources=" + resources, "life");
        assertEquals(0, update.code(), update.err());
        assertEquals(Long.toString(32L << 20), (Files.exists(mem) ? Files.readString(mem) : Files.readString(v2)).strip());

        HutchProcess.Result exec = runtime.run("exec", "life", "sh", "-c", "echo $((6*7)); exit 9");
        assertEquals(9, exec.code(), exec.err());
        assertEquals("42\n", exec.out());

        assertEquals(0, runtime.run("kill", "life", "KILL").code());
        deadline = System.currentTimeMillis() + 5000;
        while (!state("life").string("status").equals("stopped") && System.currentTimeMillis() < deadline) Thread.sleep(20);
        assertEquals("stopped", state("life").string("status"));
        HutchProcess.Result again = runtime.run("kill", "life", "9");
        assertEquals(1, again.code());
        assertTrue(again.err().contains("container not running"), again.err());
        assertEquals(0, runtime.run("delete", "life").code());
        assertFalse(Files.exists(mem.getParent()), "cgroup removed");
        HutchProcess.Result gone = runtime.run("state", "life");
        assertTrue(gone.err().contains("container life does not exist"), gone.err());
    }

    @Test
    void aRefusedConfigLeavesNothingAndIsLoggedAsJson() throws Exception {
        Map<String, Object> c = config(List.of("true"));
        c.put("hooks", Map.of("startContainer", List.of(Map.of("path", "/bin/true"))));
        writeConfig(c);
        Path log = roots.dir().resolve("runtime-log.json");
        HutchProcess.Result r = runtime.run("--log", log.toString(), "--log-format", "json", "create", "--bundle", bundle.toString(), "bad");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("config.json: hooks.startContainer is not supported"), r.err());
        JsonReader line = JsonReader.of(Json.parse(Files.readAllLines(log).get(0)));
        assertEquals("error", line.string("level"));
        assertTrue(line.string("msg").contains("hooks"), line.string("msg"));
        assertNotNull(line.string("time"));
        assertEquals(List.of(), runtime.leftoverStates());
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().equals("oci-bad")));
    }

    @Test
    void hostHooksGetTheStateOnStdinAndAFailingPrestartFailsCreate() throws Exception {
        Path seen = roots.dir().resolve("hooks.seen");
        Map<String, Object> hook = Map.of("path", "/bin/sh", "args", List.of("sh", "-c", "echo \"$STAGE $(cat)\" >> " + seen));
        Map<String, Object> c = config(List.of("true"));
        c.put("hooks", Map.of("prestart", List.of(withEnv(hook, "STAGE=prestart")), "poststart", List.of(withEnv(hook, "STAGE=poststart")),
                "poststop", List.of(withEnv(hook, "STAGE=poststop"))));
        writeConfig(c);
        Path out = roots.dir().resolve("hooks.out");
        assertEquals(0, runtimeToFiles(out, "run", "--bundle", bundle.toString(), "hooked"), Files.readString(out.resolveSibling("hooks.out.err")));
        List<String> lines = Files.readAllLines(seen);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("prestart {\"ociVersion\":\"1.2.0\",\"id\":\"hooked\""), lines.get(0));
        assertTrue(lines.get(1).startsWith("poststart ") && lines.get(1).contains("\"status\":\"running\""), lines.get(1));
        assertTrue(lines.get(2).startsWith("poststop ") && lines.get(2).contains("\"status\":\"stopped\""), lines.get(2));

        c.put("hooks", Map.of("prestart", List.of(Map.of("path", "/bin/false"))));
        writeConfig(c);
        HutchProcess.Result r = runtime.run("create", "--bundle", bundle.toString(), "hookfail");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("prestart hook /bin/false failed with exit status 1"), r.err());
        assertEquals(List.of(), runtime.leftoverStates(), "a failed prestart undoes create");
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().equals("oci-hookfail")));
    }

    private static Map<String, Object> withEnv(Map<String, Object> hook, String env) {
        Map<String, Object> h = new LinkedHashMap<>(hook);
        h.put("env", List.of(env, "PATH=/bin:/usr/bin"));
        return h;
    }

    @Test
    void runWaitsAndExitsWithTheContainersStatus() throws Exception {
        writeConfig(config(List.of("sh", "-c", "echo fg; exit 12")));
        Path out = roots.dir().resolve("fg.out");
        assertEquals(12, runtimeToFiles(out, "run", "-b", bundle.toString(), "fg"), Files.readString(out.resolveSibling("fg.out.err")));
        assertEquals("fg\n", Files.readString(out));
        assertEquals(List.of(), runtime.leftoverStates(), "run deletes what it created");
    }

    @Test
    void sysctlsAndTheOomScoreReachTheContainerAndAHostSysctlIsRefused() throws Exception {
        Map<String, Object> c = config(List.of("sh", "-c",
                "cat /proc/sys/kernel/shmmni /proc/sys/net/ipv4/ping_group_range /proc/self/oom_score_adj"));
        @SuppressWarnings("unchecked") Map<String, Object> linux = (Map<String, Object>) c.get("linux");
        linux.put("sysctl", Map.of("kernel.shmmni", "1234", "net.ipv4.ping_group_range", "0 0"));
        Map<String, Object> process = new LinkedHashMap<>(castMap(c.get("process")));
        process.put("oomScoreAdj", 321);
        c.put("process", process);
        writeConfig(c);
        String hostShmmni = Files.readString(Path.of("/proc/sys/kernel/shmmni"));
        Path out = roots.dir().resolve("sysctl.out");
        assertEquals(0, runtimeToFiles(out, "run", "--bundle", bundle.toString(), "sysctls"), Files.readString(out.resolveSibling("sysctl.out.err")));
        assertEquals(List.of("1234", "0\t0", "321"), Files.readAllLines(out), "the values inside, read by the container's own cat");
        assertEquals(hostShmmni, Files.readString(Path.of("/proc/sys/kernel/shmmni")), "the host's value is untouched");

        linux.put("sysctl", Map.of("kernel.panic", "5"));
        writeConfig(c);
        HutchProcess.Result r = runtime.run("create", "--bundle", bundle.toString(), "hostsysctl");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("config.json: linux.sysctl: \"kernel.panic=5\" is not a namespaced sysctl"), r.err());
        assertEquals(List.of(), runtime.leftoverStates());
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().equals("oci-hostsysctl")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) { return (Map<String, Object>) o; }
}
