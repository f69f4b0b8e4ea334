package dev.hutch.rootfs.recipe;

import dev.hutch.util.AtomicFiles;

import java.nio.file.Path;

/**
 * {@code <libRoot>/build-cache/<key>}: one small file per step key holding the id of the image the
 * step made. Entries are only hints: a hit counts only while that image is still in the store (an
 * {@code image prune} may have removed it), so a stale entry is never wrong, only useless.
 * Two builds writing the same key race harmlessly: each write is atomic and either id is valid.
 */
public final class BuildCache {
    private final Path dir;

    public BuildCache(Path libRoot) { this.dir = libRoot.resolve("build-cache"); }

    public Path dir() { return dir; }

    /** The image id recorded for the key, or null. */
    public String get(String key) {
        String id = AtomicFiles.readOrNull(file(key));
        return id == null || id.isBlank() ? null : id.trim();
    }

    public void put(String key, String imageId) { AtomicFiles.write(file(key), imageId + "\n"); }

    private Path file(String key) {
        if (!key.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("not a cache key: " + key);
        return dir.resolve(key);
    }
}
