package dev.hutch.copy;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;

/**
 * One file or directory tree as a tar, its top entry named {@code base} ("." for a directory's
 * content): what docker's archive API sends and {@code docker cp} reads. Links inside the tree are
 * stored as links, never followed; owners, modes and times are kept in the headers (whoever
 * extracts decides whether to apply the owners), files with several names become hard links.
 */
public final class TreeArchiver {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000, S_IFREG = 0100000, S_IFDIR = 0040000, S_IFLNK = 0120000;

    private TreeArchiver() {}

    public static void write(Path source, String base, OutputStream out) throws IOException {
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(buffered);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        Map<String, String> linked = new HashMap<>(); // "dev:ino" -> the entry that has the content
        Files.walkFileTree(source, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                        add(tar, dir, name(source, dir, base), linked);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        add(tar, file, name(source, file, base), linked);
                        return FileVisitResult.CONTINUE;
                    }
                });
        tar.finish();
        buffered.flush();
    }

    private static String name(Path source, Path p, String base) {
        String rel = source.relativize(p).toString();
        if (rel.isEmpty()) return base;
        return base.equals("/") ? rel : base + "/" + rel;
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name, Map<String, String> linked) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,nlink,dev,ino", NOFOLLOW);
        int mode = (Integer) a.get("mode");
        int type = mode & S_IFMT;
        TarArchiveEntry e;
        if (type == S_IFDIR) {
            e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        } else if (type == S_IFLNK) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (type == S_IFREG) {
            String key = a.get("dev") + ":" + a.get("ino");
            String first = (Integer) a.get("nlink") > 1 ? linked.putIfAbsent(key, name) : null;
            if (first != null) {
                e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                e.setLinkName(first);
            } else {
                e = new TarArchiveEntry(name);
                e.setSize((Long) a.get("size"));
            }
        } else {
            return; // devices, fifos and sockets: docker cp has no use for them either
        }
        e.setMode(mode & 07777);
        e.setUserId((Integer) a.get("uid"));
        e.setGroupId((Integer) a.get("gid"));
        e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(e);
        if (e.isFile() && !e.isLink() && e.getSize() > 0) {
            try (InputStream in = Files.newInputStream(p)) {
                long left = e.getSize();
                byte[] buf = new byte[1 << 16];
                for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) tar.write(buf, 0, n);
                // a file that shrank meanwhile: pad to the size the header promised
                for (; left > 0; left -= Math.min(buf.length, left)) tar.write(new byte[buf.length], 0, (int) Math.min(buf.length, left));
            }
        }
        tar.closeArchiveEntry();
    }
}
