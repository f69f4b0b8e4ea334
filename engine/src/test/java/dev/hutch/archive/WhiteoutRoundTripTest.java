package dev.hutch.archive;

import dev.hutch.testing.RequiresRoot;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tar whiteouts ⇄ overlay whiteouts: mknod and trusted.* xattrs need root. */
@RequiresRoot
class WhiteoutRoundTripTest {
    @TempDir
    Path tmp;

    @Test
    void tarWhiteoutsBecomeOverlayWhiteoutsAndBack() throws Exception {
        byte[] tar = new TestTars().dir("etc").file("etc/.wh.motd", "").dir("opt").file("opt/.wh..wh..opq", "")
                .file("opt/new", "n").bytes();
        Path fs = tmp.resolve("fs");
        new LayerUnpacker(TarLimits.defaults(dev.hutch.config.CallerEnvironment.empty())).unpack(new ByteArrayInputStream(tar), fs);

        assertTrue(Whiteouts.isOverlayWhiteout(fs.resolve("etc/motd")), "etc/motd is a 0/0 char device");
        assertFalse(Files.exists(fs.resolve("etc/.wh.motd")));
        assertTrue(Whiteouts.isOverlayOpaque(fs.resolve("opt")));
        assertFalse(Files.exists(fs.resolve("opt/.wh..wh..opq")));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerTarWriter.write(fs, out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) names.add(e.getName());
        }
        assertEquals(List.of("etc/", "etc/.wh.motd", "opt/", "opt/.wh..wh..opq", "opt/new"), names);
    }

    @Test
    void writerIsDeterministic() throws Exception {
        Path fs = tmp.resolve("fs");
        new LayerUnpacker(TarLimits.defaults(dev.hutch.config.CallerEnvironment.empty())).unpack(new ByteArrayInputStream(
                new TestTars().dir("b").file("b/x", "1").file("a", "2").hardlink("c", "a").bytes()), fs);
        ByteArrayOutputStream one = new ByteArrayOutputStream(), two = new ByteArrayOutputStream();
        LayerTarWriter.write(fs, one);
        LayerTarWriter.write(fs, two);
        assertEquals(List.of(one.toByteArray().length), List.of(two.toByteArray().length));
        assertTrue(java.util.Arrays.equals(one.toByteArray(), two.toByteArray()));
    }
}
