package dev.hutch.layer;

import dev.hutch.archive.Whiteouts;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every layer driver must do, checked by really mounting its plan — inside a private mount
 * namespace ({@code unshare -m}), so the mount dies with the child process and nothing can leak
 * onto the host. Two layers: the top one deletes a file with a whiteout, hides a directory's lower
 * contents with an opaque marker and replaces a file. Drivers this kernel lacks are skipped with
 * the reason.
 */
@RequiresRoot
@RequiresCommand({"unshare", "mount"})
abstract class LayerDriverContract {
    @TempDir
    Path tmp;
    Path bottom, top, containerDir;

    abstract LayerDriver driver();

    @BeforeEach
    void makeLayers() throws Exception {
        LayerDriver d = driver();
        if (!d.available()) System.err.println("SKIPPED " + getClass().getSimpleName() + ": the " + d.name() + " driver is not available on this kernel");
        Assumptions.assumeTrue(d.available(), "the " + d.name() + " driver is not available on this kernel");
        bottom = tmp.resolve("layers/bottom");
        top = tmp.resolve("layers/top");
        containerDir = tmp.resolve("containers/hutch-test");
        write(bottom.resolve("a/keep.txt"), "keep");
        write(bottom.resolve("a/gone.txt"), "gone");
        write(bottom.resolve("opaque/old.txt"), "old");
        write(bottom.resolve("shared.txt"), "v1");
        Files.createDirectories(top.resolve("a"));
        Whiteouts.makeOverlayWhiteout(top.resolve("a/gone.txt"));
        write(top.resolve("opaque/new.txt"), "new");
        Whiteouts.markOverlayOpaque(top.resolve("opaque"));
        write(top.resolve("shared.txt"), "v2");
    }

    @Test
    void mergesLayersAndKeepsWritesInTheContainersOwnLayer() throws Exception {
        RootfsPlan plan = driver().prepare(containerDir, List.of(bottom, top));
        assertEquals(driver().name(), plan.driver());
        assertTrue(plan.rootfs().startsWith(containerDir), "the rootfs is under the container's dir");

        String r = plan.rootfs().toString();
        String checks = String.join(" && ",
                "test \"$(cat " + r + "/a/keep.txt)\" = keep",
                "test ! -e " + r + "/a/gone.txt",
                "test ! -e " + r + "/opaque/old.txt",
                "test \"$(cat " + r + "/opaque/new.txt)\" = new",
                "test \"$(cat " + r + "/shared.txt)\" = v2",
                "echo written > " + r + "/a/new.txt",
                "rm " + r + "/a/keep.txt",
                "echo ok");
        assertEquals("ok\n", inPrivateMountNamespace(plan, checks));

        Path writable = plan.upperDir();
        assertEquals("written\n", Files.readString(writable.resolve("a/new.txt")), "the write landed in " + writable);
        assertEquals("keep", Files.readString(bottom.resolve("a/keep.txt")), "the lower layer is never changed");
        assertFalse(Files.exists(top.resolve("a/new.txt")));
        assertFalse(mountedOnHost(containerDir), "nothing stayed mounted on the host");
    }

    /** A container started again (hutch start) sees what its first run wrote, deletions included. */
    @Test
    void reopenKeepsWhatTheFirstRunWroteAndDeleted() throws Exception {
        RootfsPlan first = driver().prepare(containerDir, List.of(bottom, top));
        inPrivateMountNamespace(first, "echo first > " + first.rootfs() + "/a/new.txt && rm " + first.rootfs() + "/a/keep.txt && echo ok");
        RootfsPlan again = driver().reopen(containerDir, List.of(bottom, top));
        assertEquals(first.upperDir(), again.upperDir(), "the same writable layer");
        String r = again.rootfs().toString();
        assertEquals("ok\n", inPrivateMountNamespace(again, "test \"$(cat " + r + "/a/new.txt)\" = first && test ! -e " + r
                + "/a/keep.txt && test \"$(cat " + r + "/shared.txt)\" = v2 && echo ok"));
        assertFalse(mountedOnHost(containerDir), "nothing stayed mounted on the host");
    }

    @Test
    void removeDeletesWhatPrepareMadeAndNothingElse() throws Exception {
        driver().prepare(containerDir, List.of(bottom, top));
        Path mine = Files.writeString(containerDir.resolve("hutch-not-the-drivers.txt"), "x");
        driver().remove(containerDir);
        try (var s = Files.list(containerDir)) {
            assertEquals(List.of(mine), s.toList());
        }
        assertEquals("keep", Files.readString(bottom.resolve("a/keep.txt")));
        assertTrue(Whiteouts.isOverlayWhiteout(top.resolve("a/gone.txt")));
    }

    /** Performs the plan's mounts as mount(8) commands in a new mount namespace, then runs {@code script}. */
    String inPrivateMountNamespace(RootfsPlan plan, String script) throws Exception {
        List<String> steps = new ArrayList<>();
        for (HelperMount m : plan.mounts()) {
            String target = m.target().equals("/") ? plan.rootfs().toString() : plan.rootfs() + m.target();
            if (m.flags().contains("bind") || m.flags().contains("rbind")) steps.add("mount --rbind '" + m.source() + "' '" + target + "'");
            else steps.add("mount -t " + m.fstype() + " -o '" + m.data() + "' '" + m.source() + "' '" + target + "'");
        }
        steps.add(script);
        Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", String.join(" && ", steps))
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "unshare finished");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "mount and checks in a private namespace: " + out);
        return out;
    }

    static boolean mountedOnHost(Path dir) throws Exception {
        return Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString());
    }

    static void write(Path p, String content) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }
}
