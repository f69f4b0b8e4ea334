package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;
import dev.hutch.archive.TarBuilder;
import dev.hutch.util.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one {@code copy SRC DEST} step takes from the build context: the files, checked to lie inside
 * the context, and their content hash (the cache key's part that notices an edited file). The layer
 * is described to a {@link TarBuilder} (owner root, one fixed mtime, name order), so the same
 * content always makes the same layer digest, and it is unpacked by the store's safe unpacker.
 *
 * <p>Docker's rules: a directory SRC copies its contents into DEST; a file SRC goes to DEST, or into
 * it when DEST ends with {@code /}; a relative DEST is under the current workdir. Symlinks inside a
 * copied directory are copied as links, never followed, so they cannot pull in outside files.
 */
public final class ContextCopy {
    /** Every copied file carries this mtime: the layer depends on content, not on when it was edited. */
    static final Instant MTIME = Instant.EPOCH;

    enum Type { DIR, FILE, SYMLINK }

    /** @param rel path below SRC ("" for SRC itself) */
    record Entry(String rel, Type type, int mode, Path source, String linkTarget) {}

    private final Step step;
    private final Path sourcePath;
    private final boolean sourceIsDir;
    private final List<Entry> entries;
    private final String contentHash;

    private ContextCopy(Step step, Path sourcePath, boolean sourceIsDir, List<Entry> entries, String contentHash) {
        this.step = step;
        this.sourcePath = sourcePath;
        this.sourceIsDir = sourceIsDir;
        this.entries = entries;
        this.contentHash = contentHash;
    }

    /** Checks and hashes the source of a copy step; refuses anything outside {@code context}. */
    public static ContextCopy scan(Step step, int index, Path context) {
        String src = step.args().get(0);
        Path root = realContext(context);
        if (src.startsWith("/"))
            throw new HutchException(step.where(index) + ": copy '" + src + "': the source must be relative to the build context " + root
                    + " (copy only files under the context; move them into it)");
        Path p = root.resolve(src).normalize();
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            if (!p.startsWith(root)) throw outside(step, index, src, root);
            throw new HutchException(step.where(index) + ": copy '" + src + "': no such file in the build context " + root);
        }
        if (!p.startsWith(root) || !real.startsWith(root)) throw outside(step, index, src, root);
        try {
            List<Entry> entries = new ArrayList<>();
            boolean isDir = Files.isDirectory(real);
            if (isDir) {
                try (Stream<Path> walk = Files.walk(real)) {
                    for (Path f : walk.sorted().toList()) entries.add(entry(real, f, step, index));
                }
            } else {
                entries.add(entry(real, real, step, index));
            }
            return new ContextCopy(step, real, isDir, List.copyOf(entries), hash(entries));
        } catch (IOException e) {
            throw new HutchException(step.where(index) + ": copy '" + src + "': cannot read it: " + e.getMessage(), e);
        }
    }

    public String contentHash() { return contentHash; }

    public int fileCount() { return (int) entries.stream().filter(e -> e.type() != Type.DIR).count(); }

    /**
     * The layer as a tar description. Parents of DEST that exist in the image keep their mode there
     * ({@code existingDirMode}), so copying into {@code /tmp} does not turn it 0755.
     *
     * @param workdir         the image's workdir, for a relative DEST
     * @param existingDirMode given an image path like {@code tmp}, its dir mode in the image, or -1
     */
    public TarBuilder layer(String workdir, java.util.function.ToIntFunction<String> existingDirMode) {
        String dest = destination(step.args().get(1), workdir);
        boolean intoDir = sourceIsDir || step.args().get(1).endsWith("/");
        String base = sourceIsDir || !intoDir ? dest : join(dest, sourcePath.getFileName().toString());
        TarBuilder t = new TarBuilder(MTIME);
        String parents = sourceIsDir ? base : parentOf(base);
        StringBuilder cur = new StringBuilder();
        for (String part : parents.isEmpty() ? new String[0] : parents.split("/")) {
            if (cur.length() > 0) cur.append('/');
            cur.append(part);
            int mode = existingDirMode.applyAsInt(cur.toString());
            t.dir(cur.toString(), mode >= 0 ? mode : 0755);
        }
        for (Entry e : entries) {
            String at = e.rel().isEmpty() ? base : join(base, e.rel());
            if (at.isEmpty()) continue; // SRC dir copied to "/": the root itself is not an entry
            switch (e.type()) {
                case DIR -> { if (!e.rel().isEmpty()) t.dir(at, e.mode()); }
                case FILE -> t.file(at, e.mode(), e.source());
                case SYMLINK -> t.symlink(at, e.linkTarget());
            }
        }
        return t;
    }

    /** DEST as a clean path below the image root, without a leading slash ("" for the root). */
    static String destination(String dest, String workdir) {
        String abs = dest.startsWith("/") ? dest : (workdir == null || workdir.isEmpty() ? "/" : workdir) + "/" + dest;
        List<String> parts = new ArrayList<>();
        for (String part : abs.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (!parts.isEmpty()) parts.remove(parts.size() - 1); // like a shell at "/": cannot climb above the root
                continue;
            }
            parts.add(part);
        }
        return String.join("/", parts);
    }

    private static Entry entry(Path root, Path f, Step step, int index) throws IOException {
        String rel = root.relativize(f).toString();
        if (Files.isSymbolicLink(f)) return new Entry(rel, Type.SYMLINK, 0777, null, Files.readSymbolicLink(f).toString());
        int mode = mode(f);
        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) return new Entry(rel, Type.DIR, mode, null, null);
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) return new Entry(rel, Type.FILE, mode, f, null);
        throw new HutchException(step.where(index) + ": copy: " + f + " is not a regular file, directory or symlink (a device, fifo or socket cannot be copied into an image)");
    }

    private static int mode(Path f) throws IOException {
        try {
            return (Integer) Files.getAttribute(f, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        } catch (UnsupportedOperationException e) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS);
            int m = 0;
            for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
            return m;
        }
    }

    /** Names, types, modes, link targets and file bytes, in a fixed order. */
    private static String hash(List<Entry> entries) throws IOException {
        MessageDigest md = Sha256.newDigest();
        byte[] buf = new byte[65536];
        for (Entry e : entries) {
            md.update((e.rel() + "\0" + e.type() + "\0" + Integer.toOctalString(e.mode()) + "\0"
                    + (e.linkTarget() == null ? "" : e.linkTarget()) + "\0").getBytes(StandardCharsets.UTF_8));
            if (e.type() == Type.FILE) {
                try (InputStream in = Files.newInputStream(e.source())) {
                    for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
                }
                md.update((byte) 0);
            }
        }
        return "sha256:" + Sha256.hex(md);
    }

    private static Path realContext(Path context) {
        try {
            return context.toRealPath();
        } catch (IOException e) {
            throw new HutchException("the build context " + context + " does not exist (give an existing directory)");
        }
    }

    private static HutchException outside(Step step, int index, String src, Path root) {
        return new HutchException(step.where(index) + ": copy '" + src + "': it is outside the build context " + root
                + " (copy only files under the context; move them into it)");
    }

    private static String join(String a, String b) { return a.isEmpty() ? b : a + "/" + b; }

    private static String parentOf(String p) {
        int i = p.lastIndexOf('/');
        return i < 0 ? "" : p.substring(0, i);
    }
}
