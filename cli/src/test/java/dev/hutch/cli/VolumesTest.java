package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.spec.Mount;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.hutch.cli.InProcessCli.container;
import static org.junit.jupiter.api.Assertions.*;

/** Binds, named and anonymous volumes, and the volume verbs, checked on the host's directories. */
@RequiresRoot
class VolumesTest {
    static TestRoots roots;
    static Engine engine;
    static InProcessCli cli;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        cli = new InProcessCli(roots, engine);
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        }
        if (roots != null) roots.close();
    }

    private static Path volumeDir(String name) { return roots.config().volumesDir().resolve(name); }

    @Test
    void aReadOnlyBindRefusesWritesAndTheHostDirStaysAsItWas() throws Exception {
        Path host = Files.createDirectories(roots.dir().resolve("ro-src"));
        Files.writeString(host.resolve("f"), "original\n");
        String out = cli.runToEnd(container("busybox", "sh", "-c",
                "echo changed > /data/f; echo write=$?; touch /data/new; echo touch=$?; cat /data/f")
                .mount(Mount.bind(host.toString(), "/data", true)).build());
        assertEquals("0|write=1\ntouch=1\noriginal\n", out, "both writes fail inside, the file reads as before");
        assertEquals("original\n", Files.readString(host.resolve("f")));
        try (Stream<Path> s = Files.list(host)) {
            assertEquals(List.of(host.resolve("f")), s.toList(), "no new file on the host");
        }
    }

    @Test
    void aNamedVolumeKeepsItsDataAcrossContainers() throws Exception {
        String name = "keep-" + roots.tag();
        var create = cli.hutch("volume", "create", name);
        assertEquals(name + "\n", create.out(), create.toString());
        assertTrue(cli.hutch("volume", "ls", "-q").out().lines().anyMatch(name::equals));
        assertEquals("0|", cli.runToEnd(container("busybox", "sh", "-c", "echo kept > /data/f")
                .mount(Mount.volume(name, "/data", false)).build()));
        assertEquals("kept\n", Files.readString(volumeDir(name).resolve("_data/f")), "on the host, in the volume's dir");
        assertEquals("0|kept\n", cli.runToEnd(container("busybox", "cat", "/data/f")
                .mount(Mount.volume(name, "/data", true)).build()), "a second container reads it");

        Started user = engine.run(container("busybox", "true").mount(Mount.volume(name, "/data", false)).build(), true);
        engine.waitFor(user.id());
        var busy = cli.hutch("volume", "rm", name);
        assertEquals(1, busy.code());
        assertTrue(busy.err().contains("in use"), busy.err());
        assertTrue(Files.exists(volumeDir(name).resolve("_data/f")));
        engine.remove(user.id(), false, false);
        var inspect = cli.hutch("volume", "inspect", name);
        assertTrue(inspect.out().contains("\"Mountpoint\": \"" + volumeDir(name).resolve("_data") + "\""), inspect.out());
        assertEquals(0, cli.hutch("volume", "rm", name).code());
        assertFalse(Files.exists(volumeDir(name)));
        assertEquals(1, cli.hutch("volume", "rm", name).code(), "gone: an error");
        assertEquals(0, cli.hutch("volume", "rm", "-f", name).code(), "gone: fine with -f");
    }

    @Test
    void rmDashVRemovesTheAnonymousVolumeAndPlainRmKeepsIt() {
        Started a = engine.run(container("busybox", "sh", "-c", "echo a > /anon/f").mount(Mount.volume("", "/anon", false)).build(), true);
        assertEquals(0, engine.waitFor(a.id()));
        Path dir = volumeDir(a.id().substring(0, 12) + "-anon-0");
        assertTrue(Files.exists(dir.resolve("_data/f")), "the anonymous volume is named after the container");
        engine.remove(a.id(), false, true); // rm -v
        assertFalse(Files.exists(dir), "rm -v removed it");

        Started b = engine.run(container("busybox", "sh", "-c", "echo b > /anon/f").mount(Mount.volume("", "/anon", false)).build(), true);
        assertEquals(0, engine.waitFor(b.id()));
        Path kept = volumeDir(b.id().substring(0, 12) + "-anon-0");
        engine.remove(b.id(), false, false); // plain rm, as docker: the volume stays
        assertTrue(Files.exists(kept.resolve("_data/f")));
        String named = "named-" + roots.tag();
        cli.hutch("volume", "create", named);
        var prune = cli.hutch("volume", "prune", "-f");
        assertEquals(0, prune.code(), prune.toString());
        assertFalse(Files.exists(kept), "prune takes unused anonymous volumes");
        assertTrue(Files.exists(volumeDir(named)), "but not named ones without --all");
        assertEquals(0, cli.hutch("volume", "rm", named).code());
    }

    @Test
    void volumeContentsNeverEndUpInACommit() {
        String name = "notcommitted-" + roots.tag();
        Started s = engine.run(container("busybox", "sh", "-c", "echo v > /data/in-volume; echo l > /in-layer")
                .mount(Mount.volume(name, "/data", false)).build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        String tag = "vol-commit-" + roots.tag();
        assertEquals(0, cli.hutch("commit", s.id(), tag).code());
        engine.remove(s.id(), false, true);
        assertEquals("0|l\n", cli.runToEnd(container(tag, "cat", "/in-layer").build()));
        assertEquals("1|", cli.runToEnd(container(tag, "test", "-e", "/data/in-volume").build()));
        assertEquals(0, cli.hutch("rmi", tag).code());
        assertEquals(0, cli.hutch("volume", "rm", name).code());
    }
}
