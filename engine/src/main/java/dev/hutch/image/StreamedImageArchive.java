package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import dev.hutch.archive.TarLimits;
import dev.hutch.archive.UnsafeArchiveException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The outer tar of {@code load}, read in one pass: an entry that is itself a tar (or a gzip) is
 * unpacked as a layer while it streams ({@link LayerStore#unpack}, which checks it and computes its
 * diff id), into {@code layers/tmp/}; every other entry (manifest, index, configs) is written to a
 * stage directory. Unpacking the whole archive first and each layer from there wrote and read every
 * layer byte twice more. Links between entries (docker's {@code <id>/layer.tar} pointing at
 * {@code blobs/sha256/<hex>}) are kept as names, never made on disk. Nothing is published here:
 * {@link ImageLoader} publishes the layers the images name, and {@link #close} drops the rest.
 */
final class StreamedImageArchive implements AutoCloseable {
    private static final int BUFFER = 1 << 18;
    private static final int RECORD = 512;

    private final LayerStore layers;
    private final TarLimits limits;
    private final Path stage;
    private final Map<String, LayerStore.Unpacked> unpacked = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();

    StreamedImageArchive(LayerStore layers, TarLimits limits, Path stage) {
        this.layers = layers;
        this.limits = limits;
        this.stage = stage;
    }

    void read(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, BUFFER);
        InputStream plain = dev.hutch.archive.Compression.decompressing(in);
        if (plain != in) in = new BufferedInputStream(plain, BUFFER);
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        long count = 0, staged = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (++count > limits.maxEntries())
                throw new UnsafeArchiveException(e.getName(), "is one entry too many (limit " + limits.maxEntries() + ")");
            String rel = SafePaths.normalizeEntryName(e.getName());
            if (rel.isEmpty() || e.isDirectory()) continue;
            forget(rel);
            if (e.isSymbolicLink()) {
                String target = resolve(parentOf(rel), e.getLinkName());
                if (target != null) links.put(rel, target);
            } else if (e.isLink()) {
                links.put(rel, SafePaths.normalizeEntryName(e.getLinkName()));
            } else if (e.isFile()) {
                byte[] head = tar.readNBytes(RECORD);
                // SequenceInputStream closes each stream it finishes: the entry's must not close the archive's
                InputStream whole = new SequenceInputStream(new ByteArrayInputStream(head), new FilterInputStream(tar) {
                    @Override public void close() { }
                });
                if (looksLikeLayer(head, e.getSize())) {
                    unpacked.put(rel, layers.unpack(whole));
                } else {
                    if (e.getSize() > limits.maxEntryBytes() || (staged += e.getSize()) > limits.maxTotalBytes())
                        throw new UnsafeArchiveException(rel, "is " + e.getSize() + " bytes, over the limit (set HUTCH_MAX_LAYER_SIZE)");
                    Path target = SafePaths.prepareParents(stage, rel);
                    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        whole.transferTo(out);
                    }
                }
            }
            // fifos and devices in an image archive carry nothing a load needs
        }
    }

    /** The staged file at this path (after links), or null when there is none. */
    Path file(String rel) {
        String name = follow(SafePaths.normalizeEntryName(rel));
        Path p = stage.resolve(name);
        return Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? p : null;
    }

    /** The layer unpacked from this path (after links), or null when the entry was not read as one. */
    LayerStore.Unpacked layer(String rel) { return unpacked.get(follow(SafePaths.normalizeEntryName(rel))); }

    String text(String rel) throws IOException {
        Path p = file(rel);
        if (p == null) throw new HutchException("cannot load: the archive lacks " + rel);
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** Drops every unpacked layer not published (a published one has left tmp/ already). */
    @Override public void close() { unpacked.values().forEach(layers::discard); }

    /**
     * A tar has "ustar" at offset 257 of its first header; a gzip starts 1f 8b, a zstd 28 b5 2f fd. A tar with no entry
     * (two zero records) has neither, and is staged and imported from there like a file.
     */
    private static boolean looksLikeLayer(byte[] head, long size) {
        if (dev.hutch.archive.Compression.isGzip(head) || dev.hutch.archive.Compression.isZstd(head)) return true;
        return size >= 2L * RECORD && head.length == RECORD
                && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    private void forget(String rel) {
        links.remove(rel);
        LayerStore.Unpacked old = unpacked.remove(rel);
        if (old != null) layers.discard(old); // a later entry of the same name wins, as on disk
    }

    private String follow(String rel) {
        for (int hops = 0; hops < 16 && links.containsKey(rel); hops++) rel = links.get(rel);
        return rel;
    }

    private static String parentOf(String rel) {
        int slash = rel.lastIndexOf('/');
        return slash < 0 ? "" : rel.substring(0, slash);
    }

    /** A relative symlink target seen from {@code dir}; null for an absolute one or one that climbs out. */
    private static String resolve(String dir, String target) {
        if (target.isEmpty() || target.startsWith("/")) return null;
        Deque<String> parts = new ArrayDeque<>();
        if (!dir.isEmpty()) for (String p : dir.split("/")) parts.addLast(p);
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) continue;
            if (p.equals("..")) {
                if (parts.isEmpty()) return null;
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        return String.join("/", parts);
    }
}
