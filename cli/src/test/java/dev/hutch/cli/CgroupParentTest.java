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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's {@code --cgroup-parent}, kept under hutch's own cgroup parent: the container's process
 * is in {@code <parent>/GROUP/<id>} as /proc/PID/cgroup shows, the group goes with the last
 * container in it, and a parent anywhere else on the host is refused before anything is made.
 */
@RequiresRoot
class CgroupParentTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    @Test
    void aGroupBelowHutchsParentHoldsTheContainerAndGoesWithIt() throws Exception {
        String own = roots.config().cgroupParent();
        String group = own + "/ci";
        HutchProcess.Result a = hutch("run", "-d", "--network", "none", "--cgroup-parent", "/" + group, "busybox", "sleep", "60");
        HutchProcess.Result b = hutch("run", "-d", "--network", "none", "--cgroup-parent", group, "busybox", "sleep", "60");
        assertEquals(0, a.code(), a.err());
        assertEquals(0, b.code(), b.err());
        String idA = a.out().trim(), idB = b.out().trim();
        try {
            long pid = Long.parseLong(hutch("inspect", "--format", "{{.State.Pid}}", idA).out().trim());
            String cgroups = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            assertTrue(cgroups.contains("/" + group + "/" + idA + "\n"), cgroups);
            assertEquals(0, hutch("rm", "-f", idA).code());
            assertTrue(anyGroupDir(group), "the group stays while " + idB + " is in it");
        } finally {
            hutch("rm", "-f", idA, idB);
        }
        assertFalse(anyGroupDir(group), "the group went with its last container");
        assertEquals(List.of(), roots.leftoverCgroups());
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void aParentOutsideHutchsOwnIsRefused() {
        String own = roots.config().cgroupParent();
        for (String bad : List.of("/system.slice", "user.slice/x", own + "x", own + "/../elsewhere", "/")) {
            HutchProcess.Result r = hutch("run", "--rm", "--network", "none", "--cgroup-parent", bad, "busybox", "echo", "RAN");
            assertEquals(125, r.code(), bad);
            assertFalse(r.out().contains("RAN"));
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains("--cgroup-parent: \"" + bad + "\" is outside hutch's own cgroup parent"), r.err());
        }
        assertFalse(anyGroupDir("system.slice/" + own), "nothing made outside");
        assertEquals(List.of(), roots.leftoverContainers());
    }

    /** Whether the group exists in any hierarchy (each v1 one, the unified one, or a pure v2 root). */
    static boolean anyGroupDir(String group) {
        Path root = roots.config().cgroupRoot();
        if (Files.isDirectory(root.resolve(group))) return true;
        try (var s = Files.list(root)) {
            return s.anyMatch(h -> Files.isDirectory(h.resolve(group)));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
