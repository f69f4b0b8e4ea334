package dev.hutch.archive;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/** Path checks that keep archive entries inside their root, and a delete that never follows links. */
public final class SafePaths {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private SafePaths() {}

    /**
     * "./a//b/" becomes "a/b". Absolute names and any ".." part are refused rather than repaired:
     * a layer that contains them was made by a broken or hostile tool.
     */
    public static String normalizeEntryName(String name) {
        if (name.indexOf('\0') >= 0) throw new UnsafeArchiveException(name, "contains a NUL byte");
        if (name.startsWith("/")) throw new UnsafeArchiveException(name, "is an absolute path");
        StringBuilder sb = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new UnsafeArchiveException(name, "contains '..' and would escape the layer root");
            if (sb.length() > 0) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    /**
     * Returns {@code root/rel}, creating missing parent directories. Refuses a parent that is a
     * symlink or not a directory: writing through it could land anywhere on the host.
     */
    public static Path prepareParents(Path root, String rel) throws IOException {
        Path p = root;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            if (Files.isSymbolicLink(p))
                throw new UnsafeArchiveException(rel, "goes through the symlink " + root.relativize(p));
            if (!Files.exists(p, NOFOLLOW)) Files.createDirectory(p);
            else if (!Files.isDirectory(p, NOFOLLOW))
                throw new UnsafeArchiveException(rel, "has a parent that is not a directory: " + root.relativize(p));
        }
        return p.resolve(parts[parts.length - 1]);
    }

    /** A symlink's target, seen from the link's directory, must not climb above the layer root. */
    public static void checkSymlinkTarget(String rel, String target) {
        if (target.isEmpty() || target.indexOf('\0') >= 0) throw new UnsafeArchiveException(rel, "is a symlink with an empty or NUL target");
        if (target.startsWith("/")) return; // resolved inside the container's root, never on the host
        Deque<String> stack = new ArrayDeque<>();
        String[] linkParts = rel.split("/");
        for (int i = 0; i < linkParts.length - 1; i++) stack.push(linkParts[i]);
        for (String part : target.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (stack.isEmpty())
                    throw new UnsafeArchiveException(rel, "is a symlink to \"" + target + "\", which points outside the layer root");
                stack.pop();
            } else {
                stack.push(part);
            }
        }
    }

    /** For a hardlink entry: its target must be a regular file already unpacked, reached without symlinks. */
    public static Path existingRegularFile(Path root, String linkRel, String entry) throws IOException {
        if (linkRel.isEmpty()) throw new UnsafeArchiveException(entry, "is a hardlink to the root");
        Path p = root;
        String[] parts = linkRel.split("/");
        for (int i = 0; i < parts.length; i++) {
            p = p.resolve(parts[i]);
            if (Files.isSymbolicLink(p))
                throw new UnsafeArchiveException(entry, "is a hardlink through the symlink " + root.relativize(p));
        }
        if (!Files.isRegularFile(p, NOFOLLOW))
            throw new UnsafeArchiveException(entry, "is a hardlink to \"" + linkRel + "\", which is not a regular file earlier in the archive");
        return p;
    }

    /** Deletes a file or tree without following symlinks; a missing path is fine. */
    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p, NOFOLLOW)) return;
        if (!Files.isDirectory(p, NOFOLLOW)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // a read-only dir (mode 0555 in an image) cannot have its children removed otherwise
                if (!Files.isWritable(dir)) Files.setAttribute(dir, "unix:mode", 0700, NOFOLLOW);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
