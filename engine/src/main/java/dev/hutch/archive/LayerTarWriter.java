package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a directory in overlay's or aufs's on-disk format (a stored layer, or a container's upper
 * dir) as a layer tar: overlay whiteouts become {@code .wh.name}, overlay opaque dirs get a
 * {@code .wh..wh..opq} entry, aufs's own bookkeeping is left out. Entries are sorted by name and
 * hardlinks are kept, so the same tree always gives the same bytes.
 */
public final class LayerTarWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFLNK = 0120000,
            S_IFCHR = 0020000, S_IFIFO = 0010000;

    private final Map<String, String> hardlinks = new HashMap<>();
    private final java.util.Set<String> skip;

    LayerTarWriter() { this(java.util.Set.of()); }

    /** Host id → the id written in the tar (a user namespace's layer is shifted back); null: as on disk. */
    private java.util.function.LongUnaryOperator owners;

    private LayerTarWriter(java.util.Set<String> skip) { this.skip = skip; }

    /** Writes {@code dir}'s contents; the stream is finished (end blocks written) but not closed. */
    public static void write(Path dir, OutputStream out) throws IOException { write(dir, out, java.util.Set.of()); }

    /** As {@link #write(Path, OutputStream)}, leaving out the given relative paths (e.g. "etc/hosts"). */
    public static void write(Path dir, OutputStream out, java.util.Set<String> skipPaths) throws IOException {
        write(dir, out, skipPaths, null);
    }

    /**
     * As above, each owner passed through {@code owners}: the layer of a container with a user
     * namespace holds host ids (its range), and the tar must hold the ids seen inside.
     */
    public static void write(Path dir, OutputStream out, java.util.Set<String> skipPaths,
                             java.util.function.LongUnaryOperator owners) throws IOException {
        TarArchiveOutputStream tar = TarStreams.newOutput(out);
        LayerTarWriter w = new LayerTarWriter(skipPaths);
        w.owners = owners;
        w.walk(dir, "", tar);
        tar.finish();
    }

    private void walk(Path dir, String prefix, TarArchiveOutputStream tar) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String base = child.getFileName().toString();
            if (base.startsWith(Whiteouts.AUFS_META_PREFIX) && !base.equals(Whiteouts.OPAQUE_MARKER)) continue;
            String name = prefix + base;
            if (skip.contains(name)) continue;
            Map<String, Object> a = Files.readAttributes(child, "unix:*", NOFOLLOW);
            if (owners != null) {
                a = new java.util.HashMap<>(a);
                a.put("uid", (int) owners.applyAsLong(Integer.toUnsignedLong((Integer) a.get("uid"))));
                a.put("gid", (int) owners.applyAsLong(Integer.toUnsignedLong((Integer) a.get("gid"))));
            }
            int mode = (Integer) a.get("mode");
            int type = mode & S_IFMT;
            if (type == S_IFCHR && (Long) a.get("rdev") == 0L) {
                tar.putArchiveEntry(emptyFile(prefix + Whiteouts.PREFIX + base, a));
                tar.closeArchiveEntry();
            } else if (type == S_IFDIR) {
                TarArchiveEntry e = entry(name + "/", TarConstants.LF_DIR, a);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                if (Whiteouts.isOverlayOpaque(child)) {
                    tar.putArchiveEntry(emptyFile(name + "/" + Whiteouts.OPAQUE_MARKER, a));
                    tar.closeArchiveEntry();
                }
                walk(child, name + "/", tar);
            } else {
                writeLeaf(child, name, a, tar);
            }
        }
    }

    /** A symlink, regular file (or hardlink to one already written) or fifo. */
    void writeLeaf(Path child, String name, Map<String, Object> a, TarArchiveOutputStream tar) throws IOException {
        int type = (Integer) a.get("mode") & S_IFMT;
        if (type == S_IFLNK) {
            TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, a);
            e.setLinkName(Files.readSymbolicLink(child).toString());
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        } else if (type == S_IFREG) {
            writeRegular(child, name, a, tar);
        } else if (type == S_IFIFO) {
            tar.putArchiveEntry(entry(name, TarConstants.LF_FIFO, a));
            tar.closeArchiveEntry();
        } else {
            throw new IOException("cannot put " + child + " into a layer: devices and sockets are not layer content");
        }
    }

    private void writeRegular(Path file, String name, Map<String, Object> a, TarArchiveOutputStream tar) throws IOException {
        if ((Integer) a.get("nlink") > 1) {
            String key = a.get("dev") + ":" + a.get("ino");
            String first = hardlinks.putIfAbsent(key, name);
            if (first != null) {
                TarArchiveEntry e = entry(name, TarConstants.LF_LINK, a);
                e.setLinkName(first);
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
                return;
            }
        }
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, a);
        e.setSize((Long) a.get("size"));
        tar.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(file, NOFOLLOW)) {
            long n = TarStreams.copy(in, tar);
            if (n != e.getSize()) throw new IOException(file + " changed size while it was being archived");
        }
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry emptyFile(String name, Map<String, Object> a) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, a);
        e.setMode(0);
        return e;
    }

    static TarArchiveEntry entry(String name, byte type, Map<String, Object> a) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode((Integer) a.get("mode") & 07777);
        e.setUserId(((Integer) a.get("uid")).longValue());
        e.setGroupId(((Integer) a.get("gid")).longValue());
        // whole seconds, as ustar holds them: sub-second times would add pax headers and make
        // the bytes depend on the file system's timestamp precision
        e.setModTime(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000 * 1000);
        return e;
    }
}
