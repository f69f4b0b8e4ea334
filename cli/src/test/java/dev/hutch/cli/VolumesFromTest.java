package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's {@code --volumes-from CONTAINER[:ro|rw]}: the source's named and anonymous volumes and
 * bind mounts at the same paths in the new container (a stopped source will do), each with its own
 * mode unless {@code :ro} or {@code :rw} says otherwise, tmpfs left out, the new container's own
 * mount winning at the same path; files written on one side read on the other and on the host, a
 * read-only one refusing a write, and bad sources refused with one line and nothing left.
 */
@RequiresRoot
class VolumesFromTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    @Test
    void theSourcesVolumesAndBindsAreMountedAtTheSamePaths() throws Exception {
        Path host = Files.createDirectories(roots.dir().resolve("vf-bind"));
        Files.writeString(host.resolve("f"), "from the host\n");
        String vol = "vf-named-" + roots.tag();
        String src = "vf-src-" + roots.tag();
        HutchProcess.Result made = hutch("run", "--name", src, "--network", "none", "-v", vol + ":/named", "-v", "/anon",
                "-v", host + ":/bound:ro", "--tmpfs", "/scratch", "busybox", "sh", "-c",
                "echo named > /named/n && echo anon > /anon/a");
        assertEquals(0, made.code(), made.err());
        try {
            // each mount keeps the source's mode: /bound read-only, the volumes writable
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "--volumes-from", src, "busybox", "sh", "-c",
                    "cat /named/n /anon/a /bound/f; echo more > /named/m && echo wrote; echo x > /bound/x || echo refused;"
                            + " [ -d /scratch ] && echo has-scratch || echo no-scratch");
            assertEquals(0, r.code(), r.err());
            assertEquals("named\nanon\nfrom the host\nwrote\nrefused\nno-scratch\n", r.out());
            assertTrue(r.err().contains("Read-only file system"), r.err());
            assertFalse(Files.exists(host.resolve("x")));
            assertEquals("more\n", hutch("run", "--rm", "--network", "none", "-v", vol + ":/v", "busybox", "cat", "/v/m").out(),
                    "the write went to the source's volume itself");

            // :ro makes every one read-only; :rw every one writable (the read-only bind too, as docker)
            HutchProcess.Result ro = hutch("run", "--rm", "--network", "none", "--volumes-from", src + ":ro", "busybox", "sh", "-c",
                    "cat /named/n; echo x > /named/x || echo refused; echo x > /anon/x || echo refused");
            assertEquals("named\nrefused\nrefused\n", ro.out(), ro.err());
            HutchProcess.Result rw = hutch("run", "--rm", "--network", "none", "--volumes-from", src + ":rw", "busybox", "sh", "-c",
                    "echo rw > /bound/rw && echo wrote");
            assertEquals("wrote\n", rw.out(), rw.err());
            assertEquals("rw\n", Files.readString(host.resolve("rw")));

            // the new container's own mount at the same path wins; a second --volumes-from adds what the first lacks
            Path other = Files.createDirectories(roots.dir().resolve("vf-own"));
            Files.writeString(other.resolve("n"), "own\n");
            HutchProcess.Result own = hutch("run", "--rm", "--network", "none", "-v", other + ":/named", "--volumes-from", src,
                    "busybox", "cat", "/named/n");
            assertEquals("own\n", own.out(), own.err());

            // resolved when the container is made: a created container started later has them too
            HutchProcess.Result created = hutch("create", "--network", "none", "--volumes-from", src + ":ro", "busybox", "cat", "/anon/a");
            assertEquals(0, created.code(), created.err());
            String id = created.out().trim();
            HutchProcess.Result started = hutch("start", "-a", id);
            assertEquals("anon\n", started.out(), started.err());
            // rm -v of the source keeps the anonymous volume the other container still mounts (docker keeps a volume in use)
            assertEquals(0, hutch("rm", "-v", src).code());
            HutchProcess.Result again = hutch("start", "-a", id);
            assertEquals("anon\n", again.out(), again.err());
            hutch("rm", "-f", "-v", id);
        } finally {
            hutch("rm", "-f", "-v", src);
            hutch("volume", "rm", "-f", vol);
            hutch("volume", "prune", "-f"); // the source's anonymous volume, kept by rm -v while the other used it
        }
        assertEquals("", hutch("volume", "ls", "-q").out().trim());
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    @Test
    void badSourcesAreRefusedWithOneLineAndNothingLeft() {
        String[][] cases = {
                {"vf-missing-" + roots.tag(), "names no such container: vf-missing-" + roots.tag()},
                {"x:zz", "has mode \"zz\" (use ro or rw)"},
                {"x:ro:rw", "is not CONTAINER[:ro|rw]"},
                {":ro", "names no container"},
        };
        for (String[] c : cases) {
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "--volumes-from", c[0], "busybox", "echo", "RAN");
            assertEquals(125, r.code(), c[0] + ": " + r.err());
            assertFalse(r.out().contains("RAN"));
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains("--volumes-from: \"" + c[0] + "\" " + c[1]) || r.err().contains(c[1]), r.err());
            assertNotEquals("", r.err().trim());
        }
        assertEquals("", hutch("ps", "-a", "-q").out().trim());
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }
}
