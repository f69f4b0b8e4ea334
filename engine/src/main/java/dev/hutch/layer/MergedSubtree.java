package dev.hutch.layer;

import dev.hutch.archive.Whiteouts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * What the merged rootfs would show at one directory, copied out without mounting anything: the
 * layers' versions of that directory applied bottom first, where a layer that deletes the path
 * (whiteout), replaces it with a non-directory, or makes it or a parent opaque starts it over.
 * Used to seed a new volume with the image's content at its mount point, as docker does.
 */
public final class MergedSubtree {
    private MergedSubtree() {}

    /**
     * @param path absolute path inside the container, e.g. "/var/lib/data"
     * @return true if the image has a directory there (and its content was copied into {@code dest})
     */
    public static boolean copy(List<Path> layersBottomFirst, String path, Path dest) throws IOException {
        String[] parts = path.replaceAll("^/+|/+$", "").split("/+");
        boolean isDir = false;
        for (Path layer : layersBottomFirst) {
            Path p = layer;
            Verdict v = Verdict.ABSENT;
            for (int i = 0; i < parts.length && !parts[0].isEmpty(); i++) {
                p = p.resolve(parts[i]);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) { v = Verdict.ABSENT; break; }
                if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) { v = Verdict.RESET; break; }
                v = Whiteouts.isOverlayOpaque(p) ? Verdict.OPAQUE : (v == Verdict.OPAQUE ? Verdict.OPAQUE : Verdict.DIR);
            }
            if (parts[0].isEmpty()) v = Verdict.DIR;
            switch (v) {
                case ABSENT -> { }
                case RESET -> { clear(dest); isDir = false; }
                case OPAQUE -> { clear(dest); LayerFlattener.apply(p, dest); isDir = true; }
                case DIR -> { LayerFlattener.apply(p, dest); isDir = true; }
            }
        }
        return isDir;
    }

    /** ABSENT: this layer says nothing; RESET: a file or whiteout hides the lower dirs; OPAQUE: the dir, or a parent, hides them. */
    private enum Verdict { ABSENT, RESET, OPAQUE, DIR }

    private static void clear(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var children = Files.newDirectoryStream(dir)) {
            for (Path c : children) dev.hutch.archive.SafePaths.deleteRecursively(c);
        }
    }
}
