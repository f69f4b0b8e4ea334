package dev.hutch.archive;

import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerUnpackerTest {
    @TempDir
    Path tmp;

    private final LayerUnpacker unpacker = new LayerUnpacker(new TarLimits(1 << 20, 4 << 20, 1000));

    private LayerUnpacker.Result unpack(byte[] tar, Path dest) {
        return unpacker.unpack(new ByteArrayInputStream(tar), dest);
    }

    @Test
    void unpacksFilesDirsLinksWithModesAndDiffId() throws Exception {
        byte[] tar = new TestTars().dir("./etc").file("./etc/motd", "hello\n", 0640).file("bin/tool", "#!/bin/sh\n", 04755)
                .symlink("bin/alias", "tool").hardlink("bin/tool2", "bin/tool").symlink("abs", "/etc/motd").bytes();
        Path dest = tmp.resolve("fs");
        LayerUnpacker.Result r = unpack(tar, dest);

        assertEquals("hello\n", Files.readString(dest.resolve("etc/motd")));
        assertEquals(0640, (Integer) Files.getAttribute(dest.resolve("etc/motd"), "unix:mode") & 07777);
        assertEquals(04755, (Integer) Files.getAttribute(dest.resolve("bin/tool"), "unix:mode") & 07777);
        assertEquals(Path.of("tool"), Files.readSymbolicLink(dest.resolve("bin/alias")));
        assertEquals(Path.of("/etc/motd"), Files.readSymbolicLink(dest.resolve("abs")), "absolute targets are container-rooted and kept");
        assertEquals(Files.getAttribute(dest.resolve("bin/tool"), "unix:ino"), Files.getAttribute(dest.resolve("bin/tool2"), "unix:ino"));
        assertEquals("sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tar)), r.diffId());
        assertEquals(16, r.size());
    }

    @Test
    void gzipLayerHasTheDiffIdOfItsUncompressedTar() throws Exception {
        byte[] tar = new TestTars().file("a", "x").bytes();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
            out.write(tar);
        }
        LayerUnpacker.Result plain = unpack(tar, tmp.resolve("plain"));
        LayerUnpacker.Result zipped = unpack(gz.toByteArray(), tmp.resolve("zipped"));
        assertEquals(plain.diffId(), zipped.diffId());
        assertEquals("x", Files.readString(tmp.resolve("zipped/a")));
    }

    @Test
    void zstdLayerHasTheDiffIdOfItsUncompressedTar() throws Exception {
        byte[] tar = new TestTars().file("a", "x".repeat(100_000)).file("b", "y").bytes();
        ByteArrayOutputStream zst = new ByteArrayOutputStream();
        try (io.airlift.compress.zstd.ZstdOutputStream out = new io.airlift.compress.zstd.ZstdOutputStream(zst)) {
            out.write(tar);
        }
        assertTrue(zst.size() < tar.length / 10, "really compressed: " + zst.size());
        LayerUnpacker.Result plain = unpack(tar, tmp.resolve("plain"));
        LayerUnpacker.Result zstd = unpack(zst.toByteArray(), tmp.resolve("zstd"));
        assertEquals(plain.diffId(), zstd.diffId());
        assertEquals("x".repeat(100_000), Files.readString(tmp.resolve("zstd/a")));
        assertEquals("y", Files.readString(tmp.resolve("zstd/b")));
    }

    @Test
    void refusesAbsolutePath() {
        assertRefused(new TestTars().file("ok", "1").file("/etc/hutch-evil", "x").bytes(), "absolute");
    }

    @Test
    void refusesDotDot() {
        assertRefused(new TestTars().file("a/../../hutch-evil", "x").bytes(), "'..'");
    }

    @Test
    void refusesSymlinkThatClimbsOutOfTheRoot() {
        assertRefused(new TestTars().dir("a").symlink("a/up", "../../etc").bytes(), "outside the layer root");
    }

    @Test
    void refusesWritingThroughAnEarlierSymlink() {
        // the classic: a -> / (allowed on its own, it is container-rooted), then a/etc/x would land on the host
        Path victim = tmp.resolve("victim");
        assertRefused(new TestTars().symlink("a", victim.toString()).file("a/x", "pwned").bytes(), "goes through the symlink a");
        assertFalse(Files.exists(victim.resolve("x")));
    }

    @Test
    void refusesHardlinkToSomethingNotInTheArchive() {
        assertRefused(new TestTars().hardlink("passwd", "etc/passwd").bytes(), "not a regular file earlier");
    }

    @Test
    void refusesHardlinkOutOfTheRoot() {
        assertRefused(new TestTars().hardlink("shadow", "../../etc/shadow").bytes(), "'..'");
    }

    @Test
    void refusesHardlinkThroughSymlink() {
        assertRefused(new TestTars().dir("d").file("d/f", "x").symlink("s", "d").hardlink("h", "s/f").bytes(), "through the symlink");
    }

    @Test
    void refusesDeviceNodes() {
        assertRefused(new TestTars().charDevice("dev/sda", 8, 0).bytes(), "device node");
    }

    @Test
    void refusesAbsurdEntrySizeBeforeReadingIt() {
        byte[] tar = new TestTars().bytesWithClaimedSize("huge", 1L << 40);
        assertRefused(tar, "over the limit");
    }

    @Test
    void refusesTooMuchInTotal() {
        String mib = "x".repeat(1 << 20);
        TestTars t = new TestTars();
        for (int i = 0; i < 5; i++) t.file("f" + i, mib);
        assertRefused(t.bytes(), "brings the layer to");
    }

    @Test
    void aLaterEntryReplacesAnEarlierOne() throws Exception {
        Path dest = tmp.resolve("fs");
        unpack(new TestTars().dir("x").file("x/a", "1").file("x", "now a file").bytes(), dest);
        assertEquals("now a file", Files.readString(dest.resolve("x")));
    }

    private void assertRefused(byte[] tar, String why) {
        Path dest = tmp.resolve("fs");
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> unpack(tar, dest));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was imported"), e.getMessage());
        assertFalse(Files.exists(dest, LinkOption.NOFOLLOW_LINKS), "a refused archive leaves nothing behind");
    }
}
