package dev.hutch.layer;

import dev.hutch.archive.SafePaths;
import dev.hutch.archive.Whiteouts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The copy driver has no upper dir: its rootfs is a full copy. To commit it, this compares the
 * rootfs with the flattened image layers and writes the difference as an overlay-format layer:
 * changed and new entries copied, removed ones as whiteouts. Entries are compared by their stat
 * (type, mode, owner, size, mtime, link target), as docker's naive differ does.
 */
public final class CopyDiff {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private CopyDiff() {}

    /** @param base the image's layers flattened ({@link LayerFlattener}); @param diff an empty new dir */
    public static void write(Path base, Path rootfs, Path diff) throws IOException {
        compareDir(base, rootfs, diff);
    }

    private static void compareDir(Path base, Path current, Path diff) throws IOException {
        TreeSet<String> names = new TreeSet<>(list(current));
        for (String gone : list(base)) {
            if (!names.contains(gone)) {
                Files.createDirectories(diff);
                Whiteouts.makeOverlayWhiteout(diff.resolve(gone));
            }
        }
        for (String name : names) {
            Path c = current.resolve(name), b = base.resolve(name), d = diff.resolve(name);
            boolean bothDirs = Files.isDirectory(c, NOFOLLOW) && Files.isDirectory(b, NOFOLLOW);
            if (bothDirs) {
                if (!sameStat(b, c, true)) copyDirOnly(c, d);
                compareDir(b, c, d);
                if (Files.isDirectory(d, NOFOLLOW)) copyAttrs(c, d); // created as a parent of a change
            } else if (!Files.exists(b, NOFOLLOW) || !sameStat(b, c, false)) {
                Files.createDirectories(diff);
                if (Files.isDirectory(c, NOFOLLOW)) {
                    copyTree(c, d);
                } else {
                    Files.copy(c, d, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static boolean sameStat(Path a, Path b, boolean dirs) throws IOException {
        Map<String, Object> x = Files.readAttributes(a, "unix:mode,uid,gid,size,lastModifiedTime", NOFOLLOW);
        Map<String, Object> y = Files.readAttributes(b, "unix:mode,uid,gid,size,lastModifiedTime", NOFOLLOW);
        if (!x.get("mode").equals(y.get("mode")) || !x.get("uid").equals(y.get("uid")) || !x.get("gid").equals(y.get("gid"))) return false;
        if (dirs) return true; // a directory's size and mtime change with its entries, which are compared one by one
        if (!x.get("size").equals(y.get("size")) || !x.get("lastModifiedTime").equals(y.get("lastModifiedTime"))) return false;
        return !Files.isSymbolicLink(a) || Objects.equals(Files.readSymbolicLink(a), Files.readSymbolicLink(b));
    }

    private static void copyDirOnly(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        copyAttrs(from, to);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        SafePaths.deleteRecursively(to);
        Files.createDirectories(to);
        LayerFlattener.apply(from, to);
    }

    private static void copyAttrs(Path from, Path to) throws IOException {
        Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid,mode,lastModifiedTime", NOFOLLOW);
        Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
        Files.setAttribute(to, "unix:mode", (Integer) a.get("mode") & 07777, NOFOLLOW);
        Files.setAttribute(to, "lastModifiedTime", a.get("lastModifiedTime"), NOFOLLOW);
    }

    private static TreeSet<String> list(Path dir) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        if (!Files.isDirectory(dir, NOFOLLOW)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) out.add(p.getFileName().toString());
        }
        return out;
    }
}
