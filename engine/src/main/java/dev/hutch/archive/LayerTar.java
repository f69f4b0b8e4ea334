package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a layer directory (in overlay's on-disk form) as a layer tar (OCI form): entries in
 * sorted order with their own modes, owners and times, so the same tree always gives the same bytes
 * and so the same diff id; overlay whiteouts (char 0/0) become {@code .wh.NAME} entries and opaque
 * directories get a {@code .wh..wh..opq} entry.
 */
public final class LayerTar {
    private LayerTar() {}

    /** "sha256:&lt;hex&gt;" of the layer's tar, computed without writing the tar anywhere. */
    public static String diffId(Path dir) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
                write(dir, out);
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + dir + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path dir, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path p : paths) {
            String name = dir.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime,rdev", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis();
            TarArchiveEntry e;
            if (Files.isSymbolicLink(p)) {
                e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                e = new TarArchiveEntry(name + "/");
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                e = new TarArchiveEntry(name);
                e.setSize(Files.size(p));
            } else if (Whiteouts.isOverlayWhiteout(p)) {
                Path parent = p.getParent() == null ? Path.of("") : dir.relativize(p.getParent());
                String wh = parent.resolve(Whiteouts.PREFIX + p.getFileName()).toString();
                if (parent.toString().isEmpty()) wh = Whiteouts.PREFIX + p.getFileName();
                e = new TarArchiveEntry(wh);
                e.setSize(0);
                e.setMode(0100644);
                e.setModTime(mtime);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                continue;
            } else {
                continue; // sockets, fifos and devices are not layer content
            }
            e.setMode(mode);
            e.setIds((Integer) a.get("uid"), (Integer) a.get("gid"));
            e.setModTime(mtime);
            tar.putArchiveEntry(e);
            if (e.isFile() && !e.isSymbolicLink()) Files.copy(p, tar);
            tar.closeArchiveEntry();
            if (e.isDirectory() && Whiteouts.isOverlayOpaque(p)) {
                TarArchiveEntry opq = new TarArchiveEntry(name + "/" + Whiteouts.OPAQUE_MARKER);
                opq.setSize(0);
                opq.setMode(0100644);
                opq.setModTime(mtime);
                tar.putArchiveEntry(opq);
                tar.closeArchiveEntry();
            }
        }
        tar.finish();
    }
}
