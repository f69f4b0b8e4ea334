package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * podman runs its containers through hutch's OCI runtime ({@code --runtime}): conmon calls
 * create/start/exec/kill/delete and reaps the container itself. podman keeps its storage under
 * the test's temp dir (vfs: no mounts on the host); the runtime's root is the test's too, passed
 * through HUTCH_OCI_ROOT (podman's exit command would drop a {@code --runtime-flag root=DIR}).
 *
 * <p>Needs root (namespaces, cgroups) and podman with conmon; on this kind of host podman's
 * default rlimits exceed what a container may raise them to, hence the --ulimit flags (runc
 * fails the same way without them).
 */
@RequiresRoot
@RequiresCommand({"podman", "conmon"})
class OciPodmanTest {
    static TestRoots roots;
    static Engine engine;
    static InProcessCli cli;
    static OciRuntimeUnderTest runtime;
    static Set<Path> conmonCgroupsBefore;

    @BeforeAll
    static void setUp() throws Exception {
        conmonCgroupsBefore = libpodCgroups();
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        cli = new InProcessCli(roots, engine);
        runtime = new OciRuntimeUnderTest(roots);
        Files.createDirectories(roots.dir().resolve("podman"));
        Path archive = OciRuntimeUnderTest.busyboxArchive(roots, cli);
        Result load = podman("load", "-i", archive.toString());
        assertEquals(0, load.code(), load.err());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (runtime != null) {
            podman("rm", "-a", "-f");
            podman("rmi", "-a", "-f");
        }
        if (engine != null) for (var s : engine.list(true)) engine.remove(s.id(), true, true);
        // conmon's cgroups that podman made (cgroupfs: under libpod_parent and our parent's podman/), deepest first
        List<Path> made = new ArrayList<>(libpodCgroups());
        made.removeAll(conmonCgroupsBefore);
        if (roots != null)
            for (Path p : roots.leftoverCgroups())
                if (p.getFileName().toString().equals("podman"))
                    try (var walk = Files.walk(p)) {
                        walk.filter(Files::isDirectory).forEach(made::add);
                    }
        made.sort(Comparator.comparing(Path::getNameCount).reversed());
        for (Path dir : made) {
            try { Files.delete(dir); } catch (IOException ignored) { /* in use: not ours to force */ }
        }
        if (roots != null) roots.close();
    }

    private static Set<Path> libpodCgroups() throws IOException {
        Set<Path> out = new HashSet<>();
        Path root = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(root)) return out;
        try (var hierarchies = Files.list(root)) {
            for (Path h : hierarchies.toList()) {
                Path start = h.resolve("libpod_parent");
                if (!Files.isDirectory(start)) continue;
                try (var walk = Files.walk(start)) {
                    walk.filter(Files::isDirectory).forEach(out::add);
                }
            }
        }
        return out;
    }

    record Result(int code, String out, String err) {}

    /** podman with this test's storage and hutch as its runtime; never the host's containers. */
    static Result podman(String... args) throws IOException, InterruptedException {
        Path base = roots.dir().resolve("podman");
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", base.resolve("root").toString(),
                "--runroot", base.resolve("run").toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                "--runtime", runtime.script.toString()));
        cmd.addAll(List.of(args));
        Path err = roots.dir().resolve("podman.err");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "podman did not finish: " + cmd);
        return new Result(p.exitValue(), out, Files.readString(err));
    }

    private static List<String> runFlags() {
        return List.of("--network", "none", "--cgroup-parent", "/" + roots.config().cgroupParent() + "/podman",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024");
    }

    private static Result podmanRun(List<String> flags, String... cmd) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        args.addAll(flags);
        args.addAll(runFlags());
        args.add("localhost/busybox");
        args.addAll(List.of(cmd));
        return podman(args.toArray(String[]::new));
    }

    @Test
    void podmanRunsAContainerThroughHutchAndGetsItsExitStatus() throws Exception {
        // PID 1 of the container is hutch's init: the container is hutch's, not another runtime's
        Result run = podmanRun(List.of("--rm"), "sh", "-c", "echo hello; tr '\\0' ' ' < /proc/1/cmdline; echo; exit 7");
        assertEquals(7, run.code(), run.err() + "\ncalls:\n" + runtime.calls());
        assertEquals("hello\nhutch-init\n", run.out().replaceAll(" +\n", "\n"));
        assertTrue(runtime.calls().contains("create --bundle"), runtime.calls());
        assertEquals(List.of(), runtime.leftoverStates(), "podman --rm deleted the container through hutch");
    }

    @Test
    void execStopAndRmOfADetachedContainer() throws Exception {
        Result started = podmanRun(List.of("-d", "--name", "oci-long-" + roots.tag()), "sh", "-c", "echo up; sleep 300");
        assertEquals(0, started.code(), started.err() + "\ncalls:\n" + runtime.calls());
        String id = started.out().strip();

        // hutch's own view of it, from outside: running, with the pid conmon watches
        HutchProcess.Result state = runtime.run("state", id);
        assertEquals(0, state.code(), state.err());
        JsonReader s = JsonReader.of(Json.parse(state.out()));
        assertEquals("running", s.string("status"));
        Result pid = podman("inspect", "--format", "{{.State.Pid}}", id);
        assertEquals(pid.out().strip(), Long.toString(s.number("pid", -1)));
        // its cgroup is under hutch's parent, whatever cgroupsPath podman asked for
        assertTrue(roots.leftoverCgroups().stream().anyMatch(p -> p.getFileName().toString().equals("oci-" + id)),
                "cgroup oci-" + id + " under " + roots.config().cgroupParent() + ": " + roots.leftoverCgroups());

        Result exec = podman("exec", id, "sh", "-c", "echo in-exec; exit 4");
        assertEquals(4, exec.code(), exec.err() + "\ncalls:\n" + runtime.calls());
        assertEquals("in-exec\n", exec.out());

        Result stop = podman("stop", "-t", "5", id);
        assertEquals(0, stop.code(), stop.err());
        // sh as PID 1's child dies of the forwarded SIGTERM: 128 + 15
        assertEquals("143", podman("inspect", "--format", "{{.State.ExitCode}}", id).out().strip());
        assertEquals("up\n", podman("logs", id).out());

        Result rm = podman("rm", id);
        assertEquals(0, rm.code(), rm.err());
        assertEquals(List.of(), runtime.leftoverStates());
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().startsWith("oci-")),
                "no oci- cgroup left: " + roots.leftoverCgroups());
    }

    @Test
    void aTerminalComesThroughTheConsoleSocket() throws Exception {
        Result run = podmanRun(List.of("--rm", "-t"), "sh", "-c", "tty; exit 3");
        assertEquals(3, run.code(), run.err() + "\ncalls:\n" + runtime.calls());
        assertEquals("/dev/pts/0\r\n", run.out());
        assertTrue(runtime.calls().contains("--console-socket"), runtime.calls());
    }
}
