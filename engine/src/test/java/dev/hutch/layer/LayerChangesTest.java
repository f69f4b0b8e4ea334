package dev.hutch.layer;

import dev.hutch.HutchException;
import dev.hutch.archive.Whiteouts;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** docker diff's A/C/D lines from a writable layer over two image layers, in both whiteout forms. */
class LayerChangesTest {
    private static final Set<String> ENGINE_FILES = Set.of("etc/hosts", "etc/hostname", "etc/resolv.conf");

    @TempDir
    Path dir;

    private List<Path> lowers() throws Exception {
        Path base = dir.resolve("l0"), top = dir.resolve("l1");
        Files.createDirectories(base.resolve("etc"));
        Files.writeString(base.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.writeString(base.resolve("etc/group"), "root:x:0:\n");
        Files.createDirectories(base.resolve("var/empty"));
        Files.createDirectories(top.resolve("tmp"));
        return List.of(base, top);
    }

    /** The upper layer a container that ran this leaves: echo >> /etc/group; mkdir -p /tmp/a/b; touch /tmp/new; chmod /var/empty. */
    private Path upper() throws Exception {
        Path up = dir.resolve("upper");
        Files.createDirectories(up.resolve("etc"));
        Files.writeString(up.resolve("etc/group"), "root:x:0:\nx\n");
        Files.writeString(up.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        Files.createDirectories(up.resolve("tmp/a/b"));
        Files.writeString(up.resolve("tmp/new"), "");
        Files.createDirectories(up.resolve("var/empty")); // copied up for its own metadata
        return up;
    }

    private static List<String> lines(LayerChanges changes) {
        return changes.list().stream().map(LayerChanges.Change::toString).toList();
    }

    @Test
    @RequiresRoot
    void overlayWhiteoutsAreDeletionsAndPathsInTheImageAreChanges() throws Exception {
        List<Path> lowers = lowers();
        Path up = upper();
        Whiteouts.makeOverlayWhiteout(up.resolve("etc/passwd")); // needs mknod: root
        assertEquals(List.of("C /etc", "C /etc/group", "D /etc/passwd", "C /tmp", "A /tmp/a", "A /tmp/a/b", "A /tmp/new",
                "C /var", "C /var/empty"), lines(new LayerChanges("overlay", up, lowers, ENGINE_FILES)));
    }

    @Test
    void aufsWhiteoutFilesAreDeletionsAndItsBookkeepingIsNotAChange() throws Exception {
        List<Path> lowers = lowers();
        Path up = upper();
        Files.writeString(up.resolve("etc/.wh.passwd"), "");
        Files.writeString(up.resolve(".wh..wh.plnk"), ""); // aufs's own
        // /tmp comes from the second image layer: without it an addition, with it a change
        assertEquals(List.of("C /etc", "C /etc/group", "D /etc/passwd", "A /tmp", "A /tmp/a", "A /tmp/a/b", "A /tmp/new",
                "C /var", "C /var/empty"), lines(new LayerChanges("aufs", up, List.of(lowers.get(0)), ENGINE_FILES)));
        assertEquals(List.of("C /etc", "C /etc/group", "D /etc/passwd", "C /tmp", "A /tmp/a", "A /tmp/a/b", "A /tmp/new",
                "C /var", "C /var/empty"), lines(new LayerChanges("aufs", up, lowers, ENGINE_FILES)));
    }

    @Test
    void aDirectoryHoldingOnlyTheEngineFilesIsNoChangeAndCopyIsRefused() throws Exception {
        List<Path> lowers = lowers();
        Path up = dir.resolve("fresh");
        Files.createDirectories(up.resolve("etc"));
        Files.writeString(up.resolve("etc/hosts"), "127.0.0.1 localhost\n");
        Files.writeString(up.resolve("etc/resolv.conf"), "nameserver 10.0.0.1\n");
        assertEquals(List.of(), lines(new LayerChanges("overlay", up, lowers, ENGINE_FILES)));
        HutchException e = assertThrows(HutchException.class, () -> new LayerChanges("copy", up, lowers, ENGINE_FILES));
        assertEquals(true, e.getMessage().contains("copy driver"), e.getMessage());
    }
}
