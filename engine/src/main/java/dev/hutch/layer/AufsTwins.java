package dev.hutch.layer;

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
import java.util.UUID;

/**
 * The aufs-format twin of an overlay-format layer: the same tree with overlay whiteouts (char 0/0)
 * turned into empty {@code .wh.name} files and overlay opaque dirs given a {@code .wh..wh..opq}
 * file. Regular files are hardlinked, not copied, so a twin costs inodes, not data. A stored layer's
 * twin lives beside it ({@code sha256/<hex>/aufs}) and is deleted with it; made in a temp dir and
 * renamed, so a half-made twin is never used.
 */
final class AufsTwins {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private AufsTwins() {}

    /** @param fallback where the twin goes if {@code layer} is not in the store's layout */
    static Path twinOf(Path layer, Path fallback) throws IOException {
        Path twin = "fs".equals(layer.getFileName().toString()) ? layer.resolveSibling("aufs") : fallback;
        if (Files.isDirectory(twin)) return twin;
        Path tmp = twin.resolveSibling(".hutch-aufs-" + UUID.randomUUID());
        try {
            convert(layer, tmp);
            Files.createDirectories(twin.getParent());
            try {
                Files.move(tmp, twin, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                // another container made the same twin first
            }
        } finally {
            SafePaths.deleteRecursively(tmp);
        }
        return twin;
    }

    static void convert(Path layer, Path twin) throws IOException {
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path dest = twin.resolve(layer.relativize(dir).toString());
                Files.createDirectories(dest);
                Files.setAttribute(dest, "unix:mode", (Integer) Files.getAttribute(dir, "unix:mode", NOFOLLOW) & 07777);
                if (!dir.equals(layer) && Whiteouts.isOverlayOpaque(dir)) Files.createFile(dest.resolve(Whiteouts.OPAQUE_MARKER));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path rel = layer.relativize(file);
                Path dest = twin.resolve(rel.toString());
                if (attrs.isOther() && Whiteouts.isOverlayWhiteout(file)) {
                    Files.createFile(dest.resolveSibling(Whiteouts.PREFIX + file.getFileName()));
                } else if (attrs.isRegularFile()) {
                    Files.createLink(dest, file);
                } else {
                    Files.copy(file, dest, NOFOLLOW, StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
