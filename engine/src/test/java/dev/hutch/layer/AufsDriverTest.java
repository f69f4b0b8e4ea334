package dev.hutch.layer;

import dev.hutch.archive.Whiteouts;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the aufs driver this kernel (no aufs) can still check. */
class AufsDriverTest {
    @TempDir
    Path tmp;

    @Test
    void branchesAreListedUpperThenTopFirst() {
        HelperMount m = AufsDriver.mount(Path.of("/c/upper"), List.of(Path.of("/l/bottom"), Path.of("/l/top")));
        assertEquals("aufs", m.fstype());
        assertEquals("br:/c/upper=rw:/l/top=ro+wh:/l/bottom=ro+wh,dio,xino=/dev/shm/hutch-aufs.xino", m.data());
    }

    @Test
    @RequiresRoot
    void twinTurnsOverlayWhiteoutsIntoAufsOnesAndHardlinksFiles() throws Exception {
        Path fs = tmp.resolve("sha256/abc/fs");
        Files.createDirectories(fs.resolve("dir"));
        Files.writeString(fs.resolve("dir/file"), "x");
        Whiteouts.makeOverlayWhiteout(fs.resolve("dir/gone"));
        Files.createDirectories(fs.resolve("opq"));
        Whiteouts.markOverlayOpaque(fs.resolve("opq"));

        Path twin = AufsTwins.twinOf(fs, tmp.resolve("unused"));
        assertEquals(tmp.resolve("sha256/abc/aufs"), twin, "a stored layer's twin lives beside it");
        assertTrue(Files.isRegularFile(twin.resolve("dir/.wh.gone")));
        assertFalse(Files.exists(twin.resolve("dir/gone")));
        assertTrue(Files.isRegularFile(twin.resolve("opq/.wh..wh..opq")));
        assertEquals(Files.getAttribute(fs.resolve("dir/file"), "unix:ino"), Files.getAttribute(twin.resolve("dir/file"), "unix:ino"));
        assertEquals(twin, AufsTwins.twinOf(fs, tmp.resolve("unused")), "made once, then reused");
    }
}
