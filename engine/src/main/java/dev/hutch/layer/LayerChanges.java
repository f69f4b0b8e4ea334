package dev.hutch.layer;

import dev.hutch.HutchException;
import dev.hutch.archive.Whiteouts;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * docker diff: what a container changed, read from its writable layer. Each entry there is a
 * deletion (overlay's 0/0 character device, aufs's {@code .wh.NAME}), a change (the path exists in
 * an image layer) or an addition. A directory is listed when it is new, when something under it is,
 * or when it was copied up for itself (empty in the upper layer: its own metadata changed). The
 * files the engine writes for every container (hosts, hostname, resolv.conf) are not the
 * container's changes, as docker does not list them either.
 */
public final class LayerChanges {
    /** docker's kinds, in the API's numbering: 0 modified, 1 added, 2 deleted. */
    public enum Kind { C, A, D }

    public record Change(Kind kind, String path) {
        @Override public String toString() { return kind + " " + path; }
    }

    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path upper;
    private final List<Path> lowers;
    private final boolean aufs;
    private final Set<String> skip;

    /**
     * @param driver the rootfs record's driver: overlay or aufs (copy keeps no layer of changes)
     * @param skip   paths relative to the root the engine itself writes, e.g. "etc/hosts"
     */
    public LayerChanges(String driver, Path upper, List<Path> lowers, Set<String> skip) {
        if ("copy".equals(driver))
            throw new HutchException("hutch diff reads the container's writable layer, and the copy driver keeps none "
                    + "(use the overlay driver, or compare `hutch export` with the image)");
        this.upper = upper;
        this.lowers = List.copyOf(lowers);
        this.aufs = "aufs".equals(driver);
        this.skip = skip;
    }

    /** Every change, sorted by path as docker prints them. */
    public List<Change> list() {
        List<Change> out = new ArrayList<>();
        try {
            if (Files.isDirectory(upper)) walk(upper, "", false, out);
        } catch (IOException e) {
            throw new HutchException("cannot read the writable layer " + upper + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Change::path));
        return out;
    }

    /** Adds the changes under {@code dir} (relative path {@code rel}); returns whether it added any. */
    private boolean walk(Path dir, String rel, boolean parentNew, List<Change> out) throws IOException {
        boolean any = false;
        for (String name : children(dir)) {
            Path p = dir.resolve(name);
            String r = rel.isEmpty() ? name : rel + "/" + name;
            if (skip.contains(r)) continue;
            if (aufs && name.startsWith(Whiteouts.AUFS_META_PREFIX)) continue;
            String whited = aufs ? Whiteouts.whitedOutName(name) : (Whiteouts.isOverlayWhiteout(p) ? name : null);
            if (whited != null) {
                out.add(new Change(Kind.D, "/" + (rel.isEmpty() ? whited : rel + "/" + whited)));
                any = true;
                continue;
            }
            boolean isNew = parentNew || !inLowers(r);
            if (Files.isDirectory(p, NOFOLLOW)) {
                int at = out.size();
                boolean inner = walk(p, r, isNew, out);
                if (isNew || inner || children(p).isEmpty()) {
                    out.add(at, new Change(isNew ? Kind.A : Kind.C, "/" + r));
                    any = true;
                }
            } else {
                out.add(new Change(isNew ? Kind.A : Kind.C, "/" + r));
                any = true;
            }
        }
        return any;
    }

    private boolean inLowers(String rel) {
        for (Path l : lowers) if (Files.exists(l.resolve(rel), NOFOLLOW)) return true;
        return false;
    }

    private static TreeSet<String> children(Path dir) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        return names;
    }
}
