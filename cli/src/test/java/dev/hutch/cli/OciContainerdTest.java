package dev.hutch.cli;

import dev.hutch.engine.Engine;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * containerd (Debian's package) runs tasks through hutch's OCI runtime: {@code ctr run
 * --runc-binary}, so its runc shim calls hutch-runc for create, start, exec, kill, delete and
 * reaps the container itself. The test starts its own containerd on a private socket, with its
 * root and state under the temp dir (native snapshotter: the shim's rootfs bind mount is the
 * only mount, and it goes with the task), and stops it at the end.
 */
@RequiresRoot
@RequiresCommand({"containerd", "ctr", "containerd-shim-runc-v2"})
class OciContainerdTest {
    static final String NS = "hutch-oci-test";
    static final String IMAGE = "docker.io/library/busybox:latest";
    static TestRoots roots;
    static Engine engine;
    static OciRuntimeUnderTest runtime;
    static Process containerd;
    static Path base;

    @BeforeAll
    static void setUp() throws Exception {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        InProcessCli cli = new InProcessCli(roots, engine);
        runtime = new OciRuntimeUnderTest(roots);
        base = Files.createDirectories(roots.dir().resolve("containerd"));
        Path config = base.resolve("config.toml");
        // no CRI and no snapshotters that need host set-up: only what ctr run uses
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
                  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
                  "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp",
                  "io.containerd.internal.v1.tracing"]
                [grpc]
                  address = "%1$s/c.sock"
                [ttrpc]
                  address = "%1$s/c.sock.ttrpc"
                """.formatted(base));
        containerd = new ProcessBuilder("containerd", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(base.resolve("containerd.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (ctr("version").code() != 0) {
            assertTrue(containerd.isAlive(), "containerd exited: " + Files.readString(base.resolve("containerd.log")));
            assertTrue(System.currentTimeMillis() < deadline, "containerd did not answer on its socket within 30 s");
            Thread.sleep(100);
        }
        Path archive = OciRuntimeUnderTest.busyboxArchive(roots, cli);
        HutchProcess.Result imported = ctr("images", "import", "--snapshotter", "native", archive.toString());
        assertEquals(0, imported.code(), imported.err());
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (containerd != null && containerd.isAlive()) {
                for (String task : ctr("task", "ls", "-q").out().lines().toList()) ctr("task", "delete", "-f", task);
                for (String c : ctr("containers", "ls", "-q").out().lines().toList()) ctr("containers", "rm", c);
                ctr("images", "rm", IMAGE);
                containerd.destroy(); // SIGTERM: containerd shuts down cleanly
                assertTrue(containerd.waitFor(30, TimeUnit.SECONDS), "containerd did not stop");
            }
            if (base != null) assertEquals(List.of(), mountsUnder(base), "mounts left under " + base);
            if (runtime != null) assertEquals(List.of(), runtime.leftoverStates());
        } finally {
            if (engine != null) for (var s : engine.list(true)) engine.remove(s.id(), true, true);
            if (roots != null) roots.close();
        }
    }

    static List<String> mountsUnder(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo")))
            if (line.split(" ")[4].startsWith(dir.toString())) out.add(line.split(" ")[4]);
        return out;
    }

    static HutchProcess.Result ctr(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ctr", "--address", base.resolve("c.sock").toString(), "-n", NS));
        cmd.addAll(List.of(args));
        return HutchProcess.capture(new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))), null, "ctr " + args[0]);
    }

    /** {@code ctr run} with hutch as the shim's runc; --runc-root is the runtime's --root. */
    static HutchProcess.Result ctrRun(List<String> flags, String id, String... cmd) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--snapshotter", "native", "--runc-binary", runtime.script.toString(),
                "--runc-root", runtime.root.toString()));
        args.addAll(flags);
        args.add(IMAGE);
        args.add(id);
        args.addAll(List.of(cmd));
        return ctr(args.toArray(String[]::new));
    }

    @Test
    void aTaskRunsThroughHutchAndItsExitStatusComesBack() throws Exception {
        HutchProcess.Result run = ctrRun(List.of("--rm"), "once-" + roots.tag(), "sh", "-c",
                "echo from-ctr; tr '\\0' ' ' < /proc/1/cmdline; echo; exit 6");
        assertEquals(6, run.code(), run.err() + "\ncalls:\n" + runtime.calls());
        assertEquals("from-ctr\nhutch-init\n", run.out().replaceAll(" +\n", "\n"));
        assertTrue(runtime.calls().contains("create --bundle"), runtime.calls());
        assertEquals(List.of(), runtime.leftoverStates(), "ctr run --rm deleted the container through hutch");
    }

    @Test
    void execKillAndDeleteOfADetachedTask() throws Exception {
        String id = "long-" + roots.tag();
        HutchProcess.Result run = ctrRun(List.of("-d"), id, "sleep", "300");
        assertEquals(0, run.code(), run.err() + "\ncalls:\n" + runtime.calls());
        // hutch's view and containerd's agree on the task's pid (the shim's root is ROOT/NAMESPACE)
        HutchProcess.Result state = runtime.run("--root", runtime.root.resolve(NS).toString(), "state", id);
        assertEquals(0, state.code(), state.err());
        assertTrue(state.out().contains("\"status\": \"running\""), state.out());
        String taskLine = ctr("task", "ls").out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertTrue(state.out().contains("\"pid\": " + taskLine.split("\\s+")[1] + ","), state.out() + " vs " + taskLine);

        HutchProcess.Result exec = ctr("task", "exec", "--exec-id", "e1", id, "sh", "-c", "echo in-exec; exit 3");
        assertEquals(3, exec.code(), exec.err() + "\ncalls:\n" + runtime.calls());
        assertEquals("in-exec\n", exec.out());
        // ps goes through hutch's ps --format json: init and sleep
        assertEquals(3, ctr("task", "ps", id).out().lines().count(), "header, init, sleep");

        assertEquals(0, ctr("task", "kill", "-s", "SIGTERM", id).code());
        HutchProcess.Result waited = ctr("task", "ls");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!waited.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("STOPPED")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            waited = ctr("task", "ls");
        }
        assertTrue(waited.out().lines().anyMatch(l -> l.startsWith(id) && l.contains("STOPPED")), waited.out());
        HutchProcess.Result delete = ctr("task", "delete", id);
        assertEquals(0, delete.code(), delete.err());
        // ctr prints the task's exit status when it is not 0: the forwarded SIGTERM, 128 + 15
        assertTrue((delete.out() + delete.err()).contains("143"), delete.out() + delete.err());
        assertEquals(0, ctr("containers", "rm", id).code());
        assertEquals(List.of(), runtime.leftoverStates());
        assertTrue(roots.leftoverCgroups().stream().noneMatch(p -> p.getFileName().toString().startsWith("oci-")),
                "no oci- cgroup left: " + roots.leftoverCgroups());
    }
}
