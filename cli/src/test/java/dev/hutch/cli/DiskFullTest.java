package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A full disk, made for real: a small tmpfs the test mounts under its own /tmp/hutch-test-* dir
 * (unmounted in finally), holding the run root or the lib root.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DiskFullTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { roots.close(); }

    /**
     * ENOSPC at every point of the record and name writes (the run root is a 64 KiB tmpfs, filled
     * up to N free pages for N = 0..5): each run either works or fails with one clear line, and
     * never leaves a name file, a state dir or a cgroup; once there is space the name is usable.
     */
    @Test
    void aFullRunRootNeverWedgesAName() throws Exception {
        Path mnt = Files.createDirectories(roots.dir().resolve("small-run"));
        mount(mnt, "64k");
        try {
            Map<String, String> env = new HashMap<>(roots.environment());
            env.put("HUTCH_RUN_ROOT", mnt.resolve("run").toString());
            String name = "full-" + roots.tag();
            for (int free = 0; free <= 5; free++) {
                Path filler = mnt.resolve("filler");
                fillLeaving(filler, mnt, free);
                Result r = HutchProcess.run(env, List.of(), "run", "--rm", "--network", "none", "--name", name, "busybox", "true");
                if (r.code() != 0) {
                    assertEquals(125, r.code(), r.err());
                    assertEquals(1, r.err().lines().count(), "one line: " + r.err());
                    assertTrue(r.err().contains("No space left on device") || r.err().contains("free some space"), r.err());
                }
                assertFalse(Files.exists(mnt.resolve("run/names").resolve(name)), free + " free pages: the name file is gone");
                assertEquals(List.of(), list(mnt.resolve("run/containers")), free + " free pages: state dirs");
                assertEquals(List.of(), roots.leftoverCgroups(), free + " free pages: cgroups");
                Files.delete(filler);
                Result again = HutchProcess.run(env, List.of(), "run", "--rm", "--network", "none", "--name", name, "busybox", "true");
                assertEquals(0, again.code(), free + " free pages, then space again: " + again.err());
            }
        } finally {
            umount(mnt);
        }
    }

    /**
     * The monitor keeps logging after a disk-full moment: once space is back it writes again, and
     * says how many bytes of log were lost in a "hutch" entry that `logs` prints on stderr.
     */
    @Test
    void logsResumeAfterTheDiskWasFullAndSayWhatWasLost() throws Exception {
        Path mnt = Files.createDirectories(roots.dir().resolve("small-lib"));
        mount(mnt, "48m");
        String name = "chatty-" + roots.tag();
        Map<String, String> env = new HashMap<>(roots.environment());
        env.put("HUTCH_LIB_ROOT", mnt.resolve("lib").toString());
        try {
            Result started = HutchProcess.run(env, List.of(), "run", "-d", "--network", "none", "--name", name, "busybox",
                    "sh", "-c", "i=0; while true; do i=$((i+1)); echo line-$i; sleep 0.02; done");
            assertEquals(0, started.code(), started.err());
            Thread.sleep(500);
            Path filler = mnt.resolve("filler");
            fillLeaving(filler, mnt, 0);
            Thread.sleep(1000); // lines written now are lost
            Files.delete(filler);
            Thread.sleep(1000); // and these are written again
            Result logs = HutchProcess.run(env, List.of(), "logs", name);
            assertEquals(0, logs.code(), logs.err());
            assertTrue(logs.err().matches("(?s)hutch: \\d+ bytes of log lost \\(No space left on device\\)\n.*"), logs.err());
            List<String> lines = logs.out().lines().toList();
            int last = Integer.parseInt(lines.get(lines.size() - 1).substring(5));
            assertTrue(last > 60, "logging went on after the disk had space again: last line " + last);
            assertTrue(lines.size() < last, "some lines were lost while the disk was full: " + lines.size() + " of " + last);
        } finally {
            HutchProcess.run(env, List.of(), "rm", "-f", name);
            umount(mnt);
        }
    }

    /** Fills the file system at mnt with one file until only `freePages` 4 KiB pages are left. */
    private static void fillLeaving(Path filler, Path mnt, int freePages) throws IOException {
        byte[] page = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                try {
                    out.write(page);
                    out.flush();
                } catch (IOException e) {
                    break; // full
                }
            }
        } catch (IOException e) {
            // the close may fail too on a full disk; the file is there
        }
        long size = Files.size(filler) / 4096 * 4096;
        try (var ch = java.nio.channels.FileChannel.open(filler, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, size - (long) freePages * 4096));
        }
    }

    private static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static void mount(Path dir, String size) throws Exception {
        exec("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "hutch-test-tmpfs", dir.toString());
    }

    private static void umount(Path dir) throws Exception {
        if (exec("umount", dir.toString()) != 0) exec("umount", "-l", dir.toString());
    }

    private static int exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }
}
