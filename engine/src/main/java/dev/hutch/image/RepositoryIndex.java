package dev.hutch.image;

import dev.hutch.json.Json;
import dev.hutch.util.AtomicFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code <libRoot>/images/repositories.json}: {"busybox:latest": "sha256:..."}. Read without a
 * lock (the file is replaced by rename, never rewritten in place); changed only under the store
 * lock, by the caller.
 */
final class RepositoryIndex {
    private final Path file;

    RepositoryIndex(Path file) { this.file = file; }

    /** name:tag → image id, sorted by name. */
    TreeMap<String, String> read() {
        TreeMap<String, String> tags = new TreeMap<>();
        String text = AtomicFiles.readOrNull(file);
        if (text == null || text.isBlank()) return tags;
        Json.parseObject(text).forEach((k, v) -> tags.put(k, String.valueOf(v)));
        return tags;
    }

    void write(Map<String, String> tags) {
        AtomicFiles.write(file, Json.pretty(new LinkedHashMap<>(new TreeMap<>(tags))) + "\n");
    }
}
