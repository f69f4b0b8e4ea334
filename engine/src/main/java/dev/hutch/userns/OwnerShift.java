package dev.hutch.userns;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Moves a tree's owners into a container's range (uid N becomes hostStart + N), for a new volume
 * that a mapped container is the first to use. Links are never followed; an id beyond the range's
 * size is left alone (it has no name inside anyway). The mode bits stay: chown clears set-uid bits
 * of a file, so they are written back.
 */
public final class OwnerShift {
    private OwnerShift() {}

    public static void intoRange(Path root, IdMapping map) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                shift(dir, map);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                shift(file, map);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void shift(Path p, IdMapping map) throws IOException {
        int uid = (int) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (int) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        long hu = map.toHost(Integer.toUnsignedLong(uid)), hg = map.toHost(Integer.toUnsignedLong(gid));
        boolean link = Files.isSymbolicLink(p);
        Object mode = link ? null : Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if (hu >= 0) Files.setAttribute(p, "unix:uid", (int) hu, LinkOption.NOFOLLOW_LINKS);
        if (hg >= 0) Files.setAttribute(p, "unix:gid", (int) hg, LinkOption.NOFOLLOW_LINKS);
        if (mode != null) Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
