package dev.hutch.copy;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A path inside a container resolved to a host path the way the container itself would see it
 * (docker's FollowSymlinkInScope): every symlink is read and followed here, an absolute target
 * starts again at the container's root, and ".." at the root stays at the root. So a link that
 * points at "/../../etc" from inside never reaches the host's /etc: whatever a container holds,
 * the result is under {@code root}.
 *
 * @param host        the host path under the root (it may not exist)
 * @param inContainer the same path as the container sees it, normalized ("/" for the root)
 */
public record ScopedPath(Path host, String inContainer) {
    private static final int MAX_LINKS = 255;

    /**
     * @param followLast whether a symlink at the last component is followed too (cp -L, or a path
     *                   that ends in "/" or "/.")
     */
    public static ScopedPath resolve(Path root, String path, boolean followLast) {
        Deque<String> todo = new ArrayDeque<>(parts(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) done.remove(done.size() - 1);
                continue;
            }
            Path p = under(root, done).resolve(c);
            boolean last = todo.isEmpty();
            if ((!last || followLast) && Files.isSymbolicLink(p)) {
                if (++links > MAX_LINKS) throw new HutchException("too many levels of symbolic links in " + path);
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    throw new HutchException("cannot read the symlink " + p + ": " + e.getMessage(), e);
                }
                if (target.startsWith("/")) done.clear();
                List<String> t = parts(target);
                for (int i = t.size() - 1; i >= 0; i--) todo.addFirst(t.get(i));
                continue;
            }
            done.add(c);
        }
        return new ScopedPath(under(root, done), "/" + String.join("/", done));
    }

    /** The non-empty parts of a path except ".", in order. */
    static List<String> parts(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) if (!s.isEmpty() && !s.equals(".")) out.add(s);
        return out;
    }

    private static Path under(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) p = p.resolve(s);
        return p;
    }

    /** docker's rule: "dir/" and "dir/." name the directory itself, and ask for its link to be followed. */
    public static boolean assertsDirectory(String path) {
        return path.endsWith("/") || path.endsWith("/.") || path.equals(".");
    }

    /** "dir/." (not "dir/"): the directory's content, not the directory. */
    public static boolean specifiesContent(String path) {
        return path.endsWith("/.") || path.equals(".");
    }

    /**
     * The name the archive's top entry has (docker's SplitPathDirEntry): the last part of the
     * path, "." for a path that ends in "/." (the directory's content), "/" for the root.
     */
    public static String baseName(String path) {
        if (specifiesContent(path)) return ".";
        List<String> p = parts(path);
        return p.isEmpty() ? "/" : p.get(p.size() - 1);
    }

    /** The path without its last part (docker's SplitPathDirEntry): "/" at the top, "." for a bare relative name. */
    public static String dirName(String path) {
        String clean = specifiesContent(path) ? path.substring(0, path.length() - 1) : path;
        clean = clean.replaceAll("/+$", "");
        if (specifiesContent(path)) return clean.isEmpty() ? (path.startsWith("/") ? "/" : ".") : clean;
        int slash = clean.lastIndexOf('/');
        if (slash < 0) return ".";
        return slash == 0 ? "/" : clean.substring(0, slash);
    }
}
