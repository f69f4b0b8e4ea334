package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.hutch.cli.InProcessCli.container;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Images cross between hutch and podman both ways through docker archives. podman runs with its
 * own storage under this test's temp dir (vfs: no mounts on the host), so it never sees or
 * touches the host's podman images and containers; everything it makes is removed at the end.
 *
 * <p>Flags for this host: crun refuses hybrid cgroups (v1 controllers + a v2 mount) even with
 * {@code --cgroups disabled}, and runc refuses {@code --cgroups disabled}, so runc with cgroupfs;
 * podman's default rlimits (nofile, nproc) exceed what the host lets a container raise them to.
 */
@RequiresRoot
@RequiresCommand({"podman", "runc"})
class PodmanInteropTest {
    static TestRoots roots;
    static Engine engine;
    static InProcessCli cli;

    /** podman's cgroupfs dirs (its container's under our parent, conmon's under libpod_parent) that were not there before. */
    static java.util.Set<Path> cgroupsBefore;

    @BeforeAll
    static void setUp() throws IOException {
        cgroupsBefore = podmanCgroups();
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        cli = new InProcessCli(roots, engine);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine != null) {
            for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        }
        // only empty dirs podman made during this test, deepest first (rmdir fails on a cgroup in use)
        List<Path> made = new ArrayList<>(podmanCgroups());
        made.removeAll(cgroupsBefore);
        made.sort(java.util.Comparator.comparing(Path::getNameCount).reversed());
        for (Path dir : made) {
            try { java.nio.file.Files.delete(dir); } catch (IOException ignored) { /* still in use: leave it */ }
        }
        // runc also makes our parent in named hierarchies (name=systemd), which TestRoots does not
        // know (hutch never uses them): remove it there too, where podman left it empty
        if (roots != null) {
            try (var hierarchies = java.nio.file.Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path h : hierarchies.toList()) {
                    Path parent = h.resolve(roots.config().cgroupParent());
                    if (made.stream().anyMatch(d -> d.startsWith(parent)))
                        try { java.nio.file.Files.delete(parent); } catch (IOException ignored) { /* not empty or gone */ }
                }
            } catch (IOException ignored) {
                // no cgroupfs: nothing was made
            }
        }
        if (roots != null) roots.close(); // podman's private storage is inside the temp dir
    }

    private static java.util.Set<Path> podmanCgroups() throws IOException {
        java.util.Set<Path> out = new java.util.HashSet<>();
        Path root = Path.of("/sys/fs/cgroup");
        if (!java.nio.file.Files.isDirectory(root)) return out;
        List<Path> starts = new ArrayList<>();
        try (var controllers = java.nio.file.Files.list(root)) {
            for (Path c : controllers.toList()) {
                starts.add(c.resolve("libpod_parent"));
                if (roots != null) starts.add(c.resolve(roots.config().cgroupParent()).resolve("podman"));
            }
        }
        for (Path start : starts) {
            if (!java.nio.file.Files.isDirectory(start)) continue;
            try (var walk = java.nio.file.Files.walk(start)) {
                walk.filter(java.nio.file.Files::isDirectory).forEach(out::add);
            }
        }
        return out;
    }

    record Result(int code, String out, String err) {}

    /** podman with this test's private storage; never the host's. */
    static Result podman(String... args) throws IOException, InterruptedException {
        Path base = roots.dir().resolve("podman");
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", base.resolve("root").toString(),
                "--runroot", base.resolve("run").toString(), "--storage-driver", "vfs",
                "--cgroup-manager", "cgroupfs", "--events-backend", "file", "--runtime", "runc"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(base.getParent().resolve("podman.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "podman did not finish: " + cmd);
        String err = java.nio.file.Files.readString(base.getParent().resolve("podman.err"));
        return new Result(p.exitValue(), out, err);
    }

    static Result podmanRun(String image, String... cmd) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none",
                "--cgroup-parent", "/" + roots.config().cgroupParent() + "/podman",
                "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024", image));
        args.addAll(List.of(cmd));
        return podman(args.toArray(String[]::new));
    }

    @Test
    void anImageHutchSavedIsLoadedAndRunByPodman() throws Exception {
        java.nio.file.Files.createDirectories(roots.dir().resolve("podman"));
        String c = cli.runToEndKeeping(container("busybox", "sh", "-c", "echo from-hutch > /hello").build());
        String tag = "hutch-to-podman-" + roots.tag() + ":1";
        assertEquals(0, cli.hutch("commit", "-c", "CMD [\"cat\",\"/hello\"]", c, tag).code());
        engine.remove(c, false, true);
        Path archive = roots.dir().resolve("from-hutch.tar");
        assertEquals(0, cli.hutch("save", "--format", "docker-archive", "-o", archive.toString(), tag).code());
        try {
            Result load = podman("load", "-i", archive.toString());
            assertEquals(0, load.code(), load.err());
            assertTrue(load.out().contains(tag), load.out());
            Result run = podmanRun("localhost/" + tag, "cat", "/hello");
            assertEquals(0, run.code(), run.err());
            assertEquals("from-hutch\n", run.out());
            Result byDefault = podmanRun("localhost/" + tag);
            assertEquals("from-hutch\n", byDefault.out(), "podman reads hutch's CMD: " + byDefault.err());
        } finally {
            podman("rmi", "-f", "localhost/" + tag);
            cli.hutch("rmi", tag);
        }
    }

    @Test
    void anImagePodmanSavedIsLoadedAndRunByHutch() throws Exception {
        java.nio.file.Files.createDirectories(roots.dir().resolve("podman"));
        String c = cli.runToEndKeeping(container("busybox", "sh", "-c", "echo from-podman > /hello").build());
        Path rootfsTar = roots.dir().resolve("rootfs.tar");
        assertEquals(0, cli.hutch("export", "-o", rootfsTar.toString(), c).code());
        engine.remove(c, false, true);
        String name = "localhost/podman-to-hutch-" + roots.tag() + ":1";
        Path archive = roots.dir().resolve("from-podman.tar");
        try {
            Result imported = podman("import", "--change", "CMD [\"cat\",\"/hello\"]", rootfsTar.toString(), name);
            assertEquals(0, imported.code(), imported.err());
            Result save = podman("save", "--format", "docker-archive", "-o", archive.toString(), name);
            assertEquals(0, save.code(), save.err());
        } finally {
            podman("rmi", "-f", name);
        }
        var load = cli.hutch("load", "-i", archive.toString());
        assertEquals(0, load.code(), load.toString());
        String tag = "podman-to-hutch-" + roots.tag() + ":1"; // hutch keeps podman's localhost/ prefix
        String loaded = load.out().lines().filter(l -> l.startsWith("Loaded image")).findFirst().orElseThrow()
                .replaceFirst("^Loaded image( ID)?: ", "");
        assertTrue(loaded.endsWith(tag), load.out());
        assertEquals("0|from-podman\n", cli.runToEnd(container(loaded).build()), "podman's CMD and layer");
        assertEquals(0, cli.hutch("rmi", loaded).code());
    }
}
