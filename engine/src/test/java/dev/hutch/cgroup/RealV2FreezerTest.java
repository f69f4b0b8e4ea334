package dev.hutch.cgroup;

import dev.hutch.cgroup.v2.FreezerV2;
import dev.hutch.spec.Resources;
import dev.hutch.testing.RequiresCgroupV2;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The v2 core freezer (cgroup.freeze) and v2 destroy on the real v2 hierarchy. It needs no v2
 * controller, so it runs on hybrid hosts too (here: /sys/fs/cgroup/unified, which only offers hugetlb).
 */
@RequiresRoot
@RequiresCgroupV2
class RealV2FreezerTest {
    private final String parent = "hutch/test-" + UUID.randomUUID().toString().substring(0, 8);
    private final CgroupLayout layout = CgroupLayout.detect(read(Path.of("/proc/self/mountinfo")), Path.of("/sys/fs/cgroup"), CgroupFs.host());
    private final HostCgroupManager manager = new HostCgroupManager(layout,
            List.of(new Binding(new FreezerV2(), layout.v2().orElseThrow())), parent, CgroupFs.host(), ProcessKiller.host());
    private Process process;

    @AfterEach
    void cleanUp() {
        if (process != null) process.destroyForcibly();
        manager.open("v2f", List.of()).destroy();
        manager.removeParentIfEmpty();
        assertFalse(Files.exists(layout.v2().orElseThrow().mountPoint().resolve(parent)), "test parent removed");
    }

    @Test
    void freezeThawAndDestroyAFrozenProcess() throws Exception {
        ContainerCgroup cg = manager.create("v2f", Resources.NONE);
        Path dir = cg.paths().get(0);
        assertTrue(dir.startsWith(layout.v2().orElseThrow().mountPoint()));
        process = new ProcessBuilder("sleep", "60").start();
        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(process.pid()));
        assertEquals(List.of(process.pid()), cg.pids());
        cg.freeze();
        assertTrue(read(dir.resolve("cgroup.events")).contains("frozen 1"));
        assertTrue(cg.frozen());
        cg.thaw();
        assertTrue(read(dir.resolve("cgroup.events")).contains("frozen 0"));
        cg.freeze();
        cg.destroy();
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "killed although frozen");
        assertFalse(Files.exists(dir));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
