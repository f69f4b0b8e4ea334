package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.LayerTar;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Content-addressed layers: {@code <libRoot>/layers/sha256/<hex>/fs} is the unpacked layer in
 * overlay's on-disk form (usable as a lowerdir as it is), {@code layer.json} its metadata. The
 * address is the diff id, the sha256 of the layer's tar, so a layer shared by two images is stored
 * once.
 */
public final class LayerStore {
    private final Path root;

    public LayerStore(Path layersDir) { this.root = layersDir.resolve("sha256"); }

    public Path dir(String diffId) { return root.resolve(hex(diffId)); }

    public Path fs(String diffId) { return dir(diffId).resolve("fs"); }

    public boolean has(String diffId) { return Files.isDirectory(fs(diffId)); }

    /**
     * Adopts an unpacked layer directory: computes its diff id and moves it into place. If the
     * store has the layer already, the given directory is deleted and the stored one kept.
     */
    public String adopt(Path unpacked) {
        String diffId = LayerTar.diffId(unpacked);
        Path target = dir(diffId);
        if (has(diffId)) {
            delete(unpacked);
            return diffId;
        }
        try {
            Files.createDirectories(root);
            Path staging = Files.createTempDirectory(root, ".adopt-");
            Files.move(unpacked, staging.resolve("fs"), StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("diffId", diffId);
            meta.put("size", size(staging.resolve("fs")));
            meta.put("created", Instant.now().toString());
            AtomicFiles.write(staging.resolve("layer.json"), Json.pretty(meta) + "\n");
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException raced) {
                delete(staging); // another process stored the same layer first
            }
            return diffId;
        } catch (AtomicMoveNotSupportedException e) {
            throw new HutchException("the layer dir " + unpacked + " must be on the same filesystem as " + root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store layer " + diffId + ": " + e.getMessage(), e);
        }
    }

    public long size(String diffId) {
        String meta = AtomicFiles.readOrNull(dir(diffId).resolve("layer.json"));
        return meta == null ? 0 : JsonReader.of(Json.parse(meta)).number("size", 0);
    }

    public void remove(String diffId) { delete(dir(diffId)); }

    private static long size(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try { return Files.size(p); } catch (IOException e) { return 0; }
            }).sum();
        }
    }

    static String hex(String digest) { return digest.startsWith("sha256:") ? digest.substring(7) : digest; }

    static void delete(Path p) {
        try {
            if (Files.exists(p)) org.apache.commons.io.FileUtils.deleteDirectory(p.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }
}
