package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the monitor does after a detached start: runs hutch's cleanup when the container ends
 * (so -d --rm removes it with no hutch process waiting), and rotates the log.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DetachedLifecycleTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    static Result hutch(String... args) {
        return HutchProcess.run(roots.environment(), List.of(), args);
    }

    @Test
    void aDetachedRmContainerRemovesItselfWhenItEnds() throws Exception {
        String name = "drm-" + roots.tag();
        Result r = hutch("run", "-d", "--rm", "--name", name, "busybox", "sh", "-c", "sleep 0.5");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        long deadline = System.currentTimeMillis() + 60_000;
        while (Files.exists(roots.config().containerStateDir(id)) && System.currentTimeMillis() < deadline) Thread.sleep(50);
        assertFalse(Files.exists(roots.config().containerStateDir(id)), "the record is gone");
        Result ps = hutch("ps", "-a", "--format", "{{.Names}}");
        assertFalse(ps.out().contains(name), ps.out());
        assertFalse(Files.exists(roots.config().containerDataDir(id)), "the data dir is gone");
        assertEquals(List.of(), roots.leftoverCgroups().stream().filter(p -> p.getFileName().toString().equals(id)).toList());
        Path leases = roots.config().networksDir().resolve("bridge/leases");
        if (Files.isDirectory(leases)) {
            try (var s = Files.list(leases)) {
                assertEquals(0, s.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "its address lease is returned");
            }
        }
        // and the name is free again
        Result again = hutch("run", "--rm", "--network", "none", "--name", name, "busybox", "true");
        assertEquals(0, again.code(), again.err());
    }

    @Test
    void theLogIsRotatedAtMaxSizeKeepingMaxFiles() throws Exception {
        String name = "rot-" + roots.tag();
        Result r = hutch("run", "-d", "--network", "none", "--name", name, "--log-opt", "max-size=64k", "--log-opt", "max-file=2",
                "busybox", "sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); echo line-$i; done");
        assertEquals(0, r.code(), r.err());
        String id = r.out().trim();
        try {
            assertEquals("0", hutch("wait", name).out().trim());
            Path log = roots.config().containerDataDir(id).resolve(id + "-json.log");
            assertTrue(Files.exists(log.resolveSibling(log.getFileName() + ".1")), "rotated once at least");
            assertFalse(Files.exists(log.resolveSibling(log.getFileName() + ".2")), "max-file=2 keeps two files");
            assertTrue(Files.size(log) < 64 * 1024 + 200, "the current file stays under max-size: " + Files.size(log));
            Result tail = hutch("logs", "--tail", "2", name);
            assertEquals("line-19999\nline-20000\n", tail.out());
            Result all = hutch("logs", name);
            List<String> lines = all.out().lines().toList();
            assertEquals("line-20000", lines.get(lines.size() - 1));
            assertTrue(lines.size() < 20000 && lines.size() > 1000, "older lines were rotated away: " + lines.size());
            assertEquals(0, hutch("logs", "--since", "1h", "--until", "2000000000", "--tail", "1", name).code());
            Result bad = hutch("logs", "--since", "yesterday", name);
            assertEquals(125, bad.code());
            assertEquals("hutch: --since: \"yesterday\" is not a time (try 2026-11-22T06:29:24Z, 1700000000 or 10m)\n", bad.err());
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void inspectHasDockersFieldsWhereClientsLook() throws Exception {
        String name = "insp-" + roots.tag();
        Result r = hutch("run", "-d", "--name", name, "-m", "32m", "-v", "/tmp:/host-tmp:ro", "busybox", "sleep", "60");
        assertEquals(0, r.code(), r.err());
        try {
            String ip = hutch("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).out().trim();
            String prefix = roots.config().bridgeSubnet().substring(0, roots.config().bridgeSubnet().lastIndexOf('.') + 1);
            assertTrue(ip.startsWith(prefix), ip + " in " + roots.config().bridgeSubnet());
            assertEquals(ip, hutch("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", name).out().trim());
            assertEquals("running true", hutch("inspect", "-f", "{{.State.Status}} {{.State.Running}}", name).out().trim());
            assertEquals("33554432", hutch("inspect", "-f", "{{.HostConfig.Memory}}", name).out().trim());
            assertEquals("[{\"Type\":\"bind\",\"Source\":\"/tmp\",\"Destination\":\"/host-tmp\",\"Mode\":\"ro\",\"RW\":false,\"Propagation\":\"rprivate\"}]",
                    hutch("inspect", "-f", "{{json .Mounts}}", name).out().trim());
        } finally {
            hutch("rm", "-f", name);
        }
    }

    @Test
    void waitReturnsWhenTheExitFileAppears() throws Exception {
        String name = "wait-" + roots.tag();
        assertEquals(0, hutch("run", "-d", "--network", "none", "--name", name, "busybox", "sh", "-c", "sleep 1; exit 7").code());
        try {
            assertEquals("7", hutch("wait", name).out().trim());
        } finally {
            hutch("rm", "-f", name);
        }
    }
}
