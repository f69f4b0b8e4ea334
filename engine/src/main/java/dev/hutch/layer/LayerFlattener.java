package dev.hutch.layer;

import dev.hutch.archive.NativeFs;
import dev.hutch.archive.SafePaths;
import dev.hutch.archive.Whiteouts;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Copies overlay-format layers one over the other into a plain directory, doing what overlayfs
 * would do at lookup time: a whiteout deletes what the lower layers put there, an opaque directory
 * empties the lower directory first, anything else replaces. Never follows a symlink, in the
 * layer or in the target. Hardlinks inside one layer stay hardlinks.
 */
public final class LayerFlattener {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000, S_IFIFO = 0010000;

    private LayerFlattener() {}

    /** Applies one layer on top of what {@code target} already holds. */
    public static void apply(Path layer, Path target) throws IOException {
        Map<String, Path> firstCopyOfInode = new HashMap<>();
        Deque<Object[]> dirTimes = new ArrayDeque<>();
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path dest = target.resolve(layer.relativize(dir).toString());
                if (!dir.equals(layer)) {
                    if (Files.exists(dest, NOFOLLOW) && !Files.isDirectory(dest, NOFOLLOW)) Files.delete(dest);
                    if (Files.isDirectory(dest, NOFOLLOW) && Whiteouts.isOverlayOpaque(dir)) clear(dest);
                    if (!Files.exists(dest, NOFOLLOW)) Files.createDirectory(dest);
                } else {
                    Files.createDirectories(dest);
                }
                copyOwnerAndMode(dir, dest);
                dirTimes.push(new Object[]{dest, attrs.lastModifiedTime()});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path dest = target.resolve(layer.relativize(file).toString());
                SafePaths.deleteRecursively(dest);
                if (attrs.isOther() && Whiteouts.isOverlayWhiteout(file)) return FileVisitResult.CONTINUE;
                Map<String, Object> a = Files.readAttributes(file, "unix:mode,nlink,dev,ino", NOFOLLOW);
                if (attrs.isRegularFile() && (Integer) a.get("nlink") > 1) {
                    Path first = firstCopyOfInode.putIfAbsent(a.get("dev") + ":" + a.get("ino"), dest);
                    if (first != null) {
                        Files.createLink(dest, first);
                        return FileVisitResult.CONTINUE;
                    }
                }
                if (((Integer) a.get("mode") & S_IFMT) == S_IFIFO) {
                    NativeFs.makeFifo(dest, (Integer) a.get("mode"));
                    copyOwnerAndMode(file, dest);
                } else if (attrs.isOther()) {
                    return FileVisitResult.CONTINUE; // sockets and devices are not layer content
                } else {
                    Files.copy(file, dest, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // directory times last: creating children changed them
        for (Object[] d : dirTimes) Files.setLastModifiedTime((Path) d[0], (FileTime) d[1]);
    }

    private static void clear(Path dir) throws IOException {
        try (var children = Files.newDirectoryStream(dir)) {
            for (Path c : children) SafePaths.deleteRecursively(c);
        }
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        Map<String, Object> a = Files.readAttributes(from, "unix:uid,gid,mode", NOFOLLOW);
        try {
            Files.setAttribute(to, "unix:uid", a.get("uid"), NOFOLLOW);
            Files.setAttribute(to, "unix:gid", a.get("gid"), NOFOLLOW);
        } catch (java.nio.file.FileSystemException notRoot) {
            // an unprivileged caller keeps its own ownership
        }
        Files.setAttribute(to, "unix:mode", (Integer) a.get("mode") & 07777, NOFOLLOW);
    }
}
