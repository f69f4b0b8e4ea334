package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.archive.LayerTarWriter;
import dev.hutch.archive.LayerUnpacker;
import dev.hutch.archive.SafePaths;
import dev.hutch.archive.TarLimits;
import dev.hutch.archive.TarPipe;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.util.AtomicFiles;
import dev.hutch.util.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Content-addressed layers under {@code <libRoot>/layers}:
 * <pre>
 *   sha256/&lt;hex&gt;/fs/          the unpacked tree, overlay format (a lowerdir as it is)
 *   sha256/&lt;hex&gt;/layer.json   {"diffId": "sha256:&lt;hex&gt;", "size": N}
 *   sha256/&lt;hex&gt;/tar.json     {"digest": ..., "size": N} of the tar {@link #writeTar} gives (see {@link #tarOf})
 *   tmp/hutch-import-*          unpacks in progress, renamed into sha256/ when complete
 * </pre>
 * A layer directory appears by one rename, so a reader sees a layer whole or not at all.
 * Deciding when a layer is unused is the image store's job; this class only stores.
 */
public final class LayerStore {
    private final Path root;
    private final TarLimits limits;

    public TarLimits limits() { return limits; }

    public LayerStore(Path layersDir, TarLimits limits) {
        this.root = layersDir;
        this.limits = limits;
    }

    public Path layerDir(String digest) { return root.resolve("sha256").resolve(hexOf(digest)); }

    public Path fsDir(String digest) { return layerDir(digest).resolve("fs"); }

    public boolean exists(String digest) { return Files.isDirectory(fsDir(digest)); }

    public Layer get(String digest) {
        Path meta = layerDir(digest).resolve("layer.json");
        String text = AtomicFiles.readOrNull(meta);
        if (text == null) throw new NotFoundException("layer " + digest + " is missing from " + root + " (the image store is damaged; remove the image and build or load it again)");
        JsonReader r = JsonReader.of(Json.parseObject(text));
        return new Layer(r.string("diffId"), fsDir(digest), r.number("size", 0));
    }

    /** Unpacks a layer tar (plain or gzip); returns the stored layer, which may have existed already. */
    public Layer importTar(InputStream tar) { return importTar(tar, () -> { }); }

    /**
     * Like {@link #importTar(InputStream)}, with a last check between unpacking and publishing: a
     * pull verifies the blob's digest there, so a layer streamed from a registry is unpacked while
     * it downloads yet appears in the store only once verified (an exception drops the unpacked tree).
     */
    public Layer importTar(InputStream tar, Runnable beforePublish) {
        Unpacked u = unpack(tar);
        try {
            beforePublish.run();
            return publish(u);
        } finally {
            discard(u);
        }
    }

    /**
     * A layer unpacked under {@code tmp/}, not yet in the store: {@link #publish} renames it in,
     * {@link #discard} drops it (a no-op after publish). {@code load} unpacks each layer as it streams
     * out of the archive and publishes it only once the image's config has named its diff id.
     */
    public record Unpacked(Path tmp, String diffId, long size) {}

    /** Unpacks a layer tar (plain or gzip) under {@code tmp/}; the caller publishes or discards it. */
    public Unpacked unpack(InputStream tar) {
        Path tmp = newTempDir();
        try {
            LayerUnpacker.Result r = new LayerUnpacker(limits).unpack(tar, tmp.resolve("fs"));
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("diffId", r.diffId());
            meta.put("size", r.size());
            AtomicFiles.write(tmp.resolve("layer.json"), Json.pretty(meta) + "\n");
            return new Unpacked(tmp, r.diffId(), r.size());
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    public Layer publish(Unpacked u) { return publish(u.tmp(), u.diffId(), u.size()); }

    public void discard(Unpacked u) { deleteQuietly(u.tmp()); }

    public Layer importTar(Path tarFile) {
        try (InputStream in = Files.newInputStream(tarFile)) {
            return importTar(in);
        } catch (IOException e) {
            throw new HutchException("cannot read layer archive " + tarFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores a directory in overlay (or aufs) format, e.g. a container's upper dir. It goes through
     * a tar so that its digest is the one {@code save} will write and {@code load} will check; the
     * tar streams from one thread to the unpacker on this one ({@link TarPipe}), never to disk.
     */
    public Layer importDirectory(Path dir) { return importDirectory(dir, java.util.Set.of()); }

    /** Imports a directory, leaving out the given relative paths. */
    public Layer importDirectory(Path dir, java.util.Set<String> skipPaths) { return importDirectory(dir, skipPaths, null); }

    /** Imports a directory whose owners are host ids to pass through {@code owners} (a user namespace's range). */
    public Layer importDirectory(Path dir, java.util.Set<String> skipPaths, java.util.function.LongUnaryOperator owners) {
        try {
            return TarPipe.run("hutch-layer-tar", out -> LayerTarWriter.write(dir, out, skipPaths, owners), this::importTar);
        } catch (IOException e) {
            throw new HutchException("cannot archive " + dir + " as a layer: " + e.getMessage(), e);
        }
    }

    /** Writes a stored layer as a tar. Its sha256 equals the layer's digest for layers hutch wrote. */
    public void writeTar(String digest, OutputStream out) throws IOException {
        LayerTarWriter.write(fsDir(digest), out);
    }

    /** What {@link #writeTar} writes for a layer: the sha256 and length of its tar. */
    public record LayerTar(String digest, long size) {}

    /**
     * The digest and length of the tar {@link #writeTar} gives, which an archive needs before the
     * first byte (a tar header holds the size, an OCI blob is named by its digest). The first time,
     * the tar is written to nowhere and hashed (a read of the layer, no write); the result is kept
     * in {@code tar.json} beside {@code layer.json}, since a stored layer never changes. Callers
     * still hash what they then write: {@link #writeVerifiedTar}.
     */
    public LayerTar tarOf(String digest) throws IOException {
        Path cache = layerDir(digest).resolve(TAR_CACHE);
        String text = AtomicFiles.readOrNull(cache);
        if (text != null) {
            JsonReader r = JsonReader.of(Json.parseObject(text));
            return new LayerTar(r.string("digest"), r.number("size", -1));
        }
        Sha256.Counting sink = new Sha256.Counting();
        writeTar(digest, sink);
        LayerTar tar = new LayerTar(sink.digest(), sink.count());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("digest", tar.digest());
        m.put("size", tar.size());
        try {
            AtomicFiles.write(cache, Json.pretty(m) + "\n");
        } catch (RuntimeException e) {
            // a store we cannot write to (read-only media) is only slower: the next save hashes again
        }
        return tar;
    }

    /** Writes the layer's tar, failing if it is not the one {@link #tarOf} described. */
    public void writeVerifiedTar(String digest, LayerTar expected, OutputStream out) throws IOException {
        Sha256.Counting check = new Sha256.Counting(out);
        try {
            writeTar(digest, check);
        } catch (IOException e) {
            // a longer tar fails in the archive's entry, before the check below: forget it all the same
            Files.deleteIfExists(layerDir(digest).resolve(TAR_CACHE));
            throw e;
        }
        if (check.count() != expected.size() || !check.digest().equals(expected.digest())) {
            Files.deleteIfExists(layerDir(digest).resolve(TAR_CACHE));
            throw new IOException("layer " + digest + " gave a tar of " + check.count() + " bytes, " + check.digest()
                    + ", where " + expected.size() + " bytes, " + expected.digest() + " were expected (did its files change? try again)");
        }
    }

    private static final String TAR_CACHE = "tar.json";

    public TreeSet<String> digests() {
        TreeSet<String> out = new TreeSet<>();
        Path dir = root.resolve("sha256");
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) out.add("sha256:" + p.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Deletes a layer: first renamed aside, so a crash mid-delete never leaves a half layer under its name. */
    public void delete(String digest) {
        Path dir = layerDir(digest);
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        Path trash = newTempDir();
        try {
            Files.delete(trash);
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new HutchException("cannot remove layer " + dir + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(trash);
        }
        removeShortLinksTo(dir);
    }

    /** The overlay driver's short names ({@code l/*}) for a deleted layer would dangle; remove them. */
    private void removeShortLinksTo(Path layerDir) {
        Path links = root.resolve("l");
        if (!Files.isDirectory(links)) return;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(links)) {
            for (Path link : ds) {
                if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).startsWith(layerDir)) Files.deleteIfExists(link);
            }
        } catch (IOException ignored) {
            // a dangling short link is harmless: it is recreated or ignored
        }
    }

    private Layer publish(Path tmp, String diffId, long size) {
        Path dest = layerDir(diffId);
        try {
            Files.createDirectories(dest.getParent());
            if (!Files.exists(dest)) {
                try {
                    Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                    // another import of the same content won: its copy is identical
                }
            }
        } catch (IOException e) {
            throw new HutchException("cannot store layer " + diffId + " in " + dest + ": " + e.getMessage(), e);
        }
        return new Layer(diffId, dest.resolve("fs"), size);
    }

    private Path newTempDir() { return newTempDir("hutch-import-"); }

    /** A new dir under {@code layers/tmp}: on the layers' file system, so renames into the store work. */
    public Path newTempDir(String prefix) {
        Path tmp = root.resolve("tmp").resolve(prefix + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new HutchException("cannot create " + tmp + ": " + e.getMessage()
                    + " (is " + root + " writable? hutch needs root)", e);
        }
        return tmp;
    }

    private static String hexOf(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        if (!hex.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a sha256 digest: " + digest);
        return hex;
    }

    private static void deleteQuietly(Path p) {
        try {
            SafePaths.deleteRecursively(p);
        } catch (IOException ignored) {
            // leftovers under tmp/ are harmless and named hutch-import-*
        }
    }
}
