package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Hand-made tars, including the hostile ones a safe unpacker must refuse. Entries are written as given. */
public final class TestTars {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

    public TestTars() { tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX); }

    public TestTars dir(String name) { return put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755), null); }

    public TestTars file(String name, String content) { return file(name, content, 0644); }

    public TestTars file(String name, String content, int mode) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
        e.setSize(b.length);
        return put(e, b);
    }

    public TestTars symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return put(e, null);
    }

    public TestTars hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return put(e, null);
    }

    public TestTars charDevice(String name, int major, int minor) {
        TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0666);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return put(e, null);
    }

    /** A file header that claims {@code size} bytes; only the header is written. */
    public byte[] bytesWithClaimedSize(String name, long size) {
        try {
            TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644);
            e.setSize(size);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.putArchiveEntry(e);
            tar.flush();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public byte[] bytes() {
        try {
            tar.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TarArchiveEntry entry(String name, byte type, int mode) {
        // the (String, byte, boolean preserveAbsolutePath) form keeps "/etc/x" and "../x" as given
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setMode(mode);
        e.setModTime(1_000_000_000_000L);
        return e;
    }

    private TestTars put(TarArchiveEntry e, byte[] content) {
        try {
            tar.putArchiveEntry(e);
            if (content != null) tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
