package dev.hutch.registry;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.util.AtomicFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the compressed blob of a stored layer is known to live, by the layer's diff id (and an
 * image config, by its own digest): the
 * registry and repository it was pulled from (verified: it unpacked to that diff id) or pushed to,
 * with the blob's digest, size and media type. A push reads it to ask the registry about a blob
 * without compressing the layer first ({@code HEAD}), or to mount it from another repository of
 * the same registry. Docker keeps the same facts ("v2 metadata by diff id").
 *
 * <p>One small JSON file per diff id under {@code LIBROOT/images/distribution/}, replaced
 * atomically. It is a cache of facts about registries: a lost update (two hutch processes at once)
 * or a stale entry (the registry deleted the blob) costs an upload, never a wrong image, since the
 * registry is asked before anything is reused.
 */
public final class BlobOrigins {
    /** One blob: its digest, size, media type, and where it is. */
    public record Origin(String digest, long size, String mediaType, String registry, String repository) {
        boolean gzip() { return mediaType.contains("gzip"); }
    }

    private static final int KEPT = 16;
    private final Path dir;

    public BlobOrigins(Path dir) { this.dir = dir; }

    /** The blobs known for this key (a layer's diff id, or a config's own digest) in this registry, the most recent first. */
    public synchronized List<Origin> in(String key, String registry) {
        return read(key).stream().filter(o -> o.registry().equals(registry)).toList();
    }

    /** Records (or moves to the front) where this layer's blob is. */
    public synchronized void record(String diffId, Origin origin) {
        List<Origin> all = new ArrayList<>(read(diffId));
        all.removeIf(o -> o.digest().equals(origin.digest()) && o.registry().equals(origin.registry()) && o.repository().equals(origin.repository()));
        all.add(0, origin);
        if (all.size() > KEPT) all = all.subList(0, KEPT);
        List<Object> list = new ArrayList<>();
        for (Origin o : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("digest", o.digest());
            m.put("size", o.size());
            m.put("mediaType", o.mediaType());
            m.put("registry", o.registry());
            m.put("repository", o.repository());
            list.add(m);
        }
        try {
            AtomicFiles.replace(file(diffId), Json.pretty(Map.of("blobs", list)) + "\n");
        } catch (RuntimeException cannotWrite) {
            // a cache: a later push uploads the blob instead of mounting it
        }
    }

    private List<Origin> read(String diffId) {
        List<Origin> out = new ArrayList<>();
        try {
            String text = AtomicFiles.readOrNull(file(diffId));
            if (text == null) return out;
            for (Object b : JsonReader.of(Json.parseObject(text)).list("blobs")) {
                JsonReader r = JsonReader.of(b);
                out.add(new Origin(r.string("digest"), r.number("size", -1), r.string("mediaType", ""), r.string("registry", ""), r.string("repository", "")));
            }
        } catch (RuntimeException damaged) {
            // a damaged cache file is as good as none
        }
        return out;
    }

    private Path file(String diffId) { return dir.resolve(diffId.substring("sha256:".length()) + ".json"); }
}
