package dev.hutch.cli;

import dev.hutch.json.Json;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hutch version and info: the numbers are the host's and the engine's own (containers by state
 * in this test's fresh roots, images as `images` lists them, the kernel's release, the cgroup
 * version of /sys/fs/cgroup), in docker's field names.
 */
@RequiresRoot
class VersionInfoTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> info() {
        HutchProcess.Result r = hutch("info", "--format", "json");
        assertEquals(0, r.code(), r.err());
        return (Map<String, Object>) Json.parse(r.out());
    }

    static long n(Map<String, Object> m, String k) { return ((Number) m.get(k)).longValue(); }

    @Test
    void infoCountsContainersByStateAndNamesTheHostsFacts() throws Exception {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        boolean pureV2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        Map<String, Object> before = info();
        String running = hutch("run", "-d", "--network", "none", "busybox", "sleep", "60").out().trim();
        String paused = hutch("run", "-d", "--network", "none", "busybox", "sleep", "60").out().trim();
        assertEquals(0, hutch("run", "--name", "done-" + roots.tag(), "--network", "none", "busybox", "true").code());
        try {
            assertEquals(0, hutch("pause", paused).code());
            Map<String, Object> m = info();
            assertEquals(n(before, "Containers") + 3, n(m, "Containers"));
            assertEquals(n(before, "ContainersRunning") + 1, n(m, "ContainersRunning"));
            assertEquals(n(before, "ContainersPaused") + 1, n(m, "ContainersPaused"));
            assertEquals(n(before, "ContainersStopped") + 1, n(m, "ContainersStopped"));
            assertEquals(hutch("images", "-q").out().lines().distinct().count(), n(m, "Images"));
            assertEquals(kernel, m.get("KernelVersion"));
            assertTrue(((String) m.get("CgroupVersion")).startsWith(pureV2 ? "2" : "1"), m.get("CgroupVersion").toString());
            assertEquals("cgroupfs", m.get("CgroupDriver"));
            assertEquals(roots.config().cgroupParent(), m.get("CgroupParent"));
            assertTrue(((List<?>) m.get("SecurityOptions")).contains("name=seccomp,profile=builtin"));
            String text = hutch("info").out();
            assertTrue(text.contains(" Kernel Version: " + kernel + "\n") && text.contains("  Paused: " + n(m, "ContainersPaused") + "\n"), text);
        } finally {
            hutch("unpause", paused);
            hutch("rm", "-f", running, paused, "done-" + roots.tag());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void versionNamesTheKernelAndTheHelperProtocol() throws Exception {
        String kernel = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        HutchProcess.Result r = hutch("version", "-f", "json");
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> v = (Map<String, Map<String, Object>>) Json.parse(r.out());
        assertEquals(kernel, v.get("Server").get("KernelVersion"));
        assertEquals(dev.hutch.runtime.LaunchFile.VERSION, ((Number) v.get("Server").get("HelperProtocol")).intValue());
        assertTrue(hutch("version").out().contains("  Kernel version:   " + kernel));
        HutchProcess.Result bad = hutch("version", "-f", "yaml");
        assertEquals(125, bad.code());
        assertTrue(bad.err().contains("--format: \"yaml\" is not a supported format"), bad.err());
    }
}
