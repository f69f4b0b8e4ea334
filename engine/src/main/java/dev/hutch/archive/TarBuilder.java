package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a layer tar from a description rather than from a directory, the way Jib builds layers:
 * every entry is owned by root, has one fixed mtime and is written in name order, so the same
 * description always gives the same bytes (and so the same layer digest). Parents are implied.
 */
public final class TarBuilder {
    private record Item(byte type, int mode, byte[] content, Path source, String linkTarget) {}

    /**
     * Ordered the way {@link LayerTarWriter} walks a tree (each directory's children sorted by
     * name), so that unpacking this tar and writing the layer back gives the same bytes and the
     * same digest ({@code save} relies on it).
     */
    private final TreeMap<String, Item> items = new TreeMap<>(TarBuilder::compareByComponents);
    private final Instant mtime;

    public TarBuilder(Instant mtime) { this.mtime = mtime; }

    public TarBuilder dir(String path, int mode) {
        items.put(clean(path), new Item(TarConstants.LF_DIR, mode, null, null, null));
        return this;
    }

    public TarBuilder file(String path, int mode, byte[] content) {
        addParents(path);
        items.put(clean(path), new Item(TarConstants.LF_NORMAL, mode, content, null, null));
        return this;
    }

    /** A file whose bytes are copied from {@code source} when the tar is written. */
    public TarBuilder file(String path, int mode, Path source) {
        addParents(path);
        items.put(clean(path), new Item(TarConstants.LF_NORMAL, mode, null, source, null));
        return this;
    }

    public TarBuilder symlink(String path, String target) {
        addParents(path);
        items.put(clean(path), new Item(TarConstants.LF_SYMLINK, 0777, null, null, target));
        return this;
    }

    public boolean contains(String path) { return items.containsKey(clean(path)); }

    public void write(OutputStream out) throws IOException {
        TarArchiveOutputStream tar = TarStreams.newOutput(out);
        for (Map.Entry<String, Item> en : items.entrySet()) {
            Item it = en.getValue();
            String name = it.type == TarConstants.LF_DIR ? en.getKey() + "/" : en.getKey();
            TarArchiveEntry e = new TarArchiveEntry(name, it.type);
            e.setMode(it.mode);
            e.setUserId(0);
            e.setGroupId(0);
            e.setModTime(mtime.toEpochMilli());
            if (it.linkTarget != null) e.setLinkName(it.linkTarget);
            if (it.content != null) e.setSize(it.content.length);
            if (it.source != null) e.setSize(Files.size(it.source));
            tar.putArchiveEntry(e);
            if (it.content != null) tar.write(it.content);
            if (it.source != null) {
                try (InputStream in = Files.newInputStream(it.source)) {
                    TarStreams.copy(in, tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    static int compareByComponents(String a, String b) {
        String[] x = a.split("/"), y = b.split("/");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    private void addParents(String path) {
        String c = clean(path);
        for (int i = c.indexOf('/'); i > 0; i = c.indexOf('/', i + 1)) {
            items.putIfAbsent(c.substring(0, i), new Item(TarConstants.LF_DIR, 0755, null, null, null));
        }
    }

    private static String clean(String path) {
        String c = SafePaths.normalizeEntryName(path.startsWith("/") ? path.substring(1) : path);
        if (c.isEmpty()) throw new IllegalArgumentException("empty path");
        return c;
    }
}
