package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.engine.EngineConfig;
import dev.hutch.json.Json;
import dev.hutch.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The image store on disk (docs/layer-store.md):
 * <pre>
 * images/repositories.json        {"busybox:latest": "sha256:…"}   name:tag → image id
 * images/sha256/&lt;hex&gt;.json        the image's config document ({@link ImageRecord})
 * layers/sha256/&lt;hex&gt;/fs          an unpacked layer ({@link LayerStore})
 * </pre>
 * Reads take no lock and hash nothing ({@link #find} is on the {@code run} path); changes to the
 * repositories index take {@code images/.lock} and write atomically.
 */
public final class LocalImageStore implements ImageStore {
    private final Path imagesDir;
    private final Path records;
    private final LayerStore layers;

    public LocalImageStore(EngineConfig config) {
        this.imagesDir = config.imagesDir();
        this.records = imagesDir.resolve("sha256");
        this.layers = new LayerStore(config.layersDir());
    }

    public LayerStore layers() { return layers; }

    /** "busybox" → "busybox:latest"; a tag or digest already given is kept. */
    public static String normalize(String reference) {
        int slash = reference.lastIndexOf('/');
        return reference.indexOf(':', slash + 1) < 0 && !reference.contains("@") ? reference + ":latest" : reference;
    }

    @Override
    public Image resolve(String reference) {
        Image i = find(reference);
        if (i == null) throw new NotFoundException("Unable to find image '" + normalize(reference) + "' (see `hutch images`)");
        return i;
    }

    @Override
    public Image find(String reference) {
        String id = idFor(reference);
        return id == null ? null : load(id);
    }

    /** The image id for a name:tag, a full id, or a unique id prefix (at least 4 hex digits). */
    public String idFor(String reference) {
        String byName = repositories().get(normalize(reference));
        if (byName != null && Files.exists(recordFile(byName))) return byName;
        String hex = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        if (hex.length() < 4 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) return null;
        List<String> matches = ids().stream().filter(i -> i.substring(7).startsWith(hex)).toList();
        if (matches.size() > 1) throw new HutchException("\"" + reference + "\" matches " + matches.size() + " images; give more of the id");
        return matches.isEmpty() ? null : matches.get(0);
    }

    @Override
    public List<Image> list() {
        Map<String, List<String>> tags = tagsById();
        List<Image> out = new ArrayList<>();
        for (String id : ids()) {
            Image i = load(id, tags.getOrDefault(id, List.of()));
            if (i != null) out.add(i);
        }
        return out;
    }

    public ImageRecord record(String id) {
        String text = AtomicFiles.readOrNull(recordFile(id));
        if (text == null) throw new NotFoundException("no such image: " + id);
        return ImageRecord.fromJson(Json.parse(text));
    }

    /** Stores the image document (its layers must be in the layer store) and tags it. @return the id */
    public String create(ImageRecord record, List<String> tags) {
        for (String d : record.diffIds()) {
            if (!layers.has(d)) throw new HutchException("cannot create an image: layer " + d + " is not in the store");
        }
        String text = Json.write(record.toJson());
        String id = "sha256:" + sha256(text);
        if (!Files.exists(recordFile(id))) AtomicFiles.write(recordFile(id), text);
        for (String t : tags) tag(id, t);
        return id;
    }

    public void tag(String id, String name) {
        String full = normalize(name);
        withIndex(index -> index.put(full, id));
    }

    /**
     * docker rmi: removes a tag, and the image once no tag is left, and then every layer no other
     * image uses. An image a container uses is refused unless forced.
     */
    public List<String> remove(String reference, boolean force, Predicate<String> usedByContainer) {
        String id = idFor(reference);
        if (id == null) throw new NotFoundException("No such image: " + reference);
        List<String> removed = new ArrayList<>();
        String full = normalize(reference);
        boolean byTag = repositories().containsKey(full);
        List<String> tags = tagsById().getOrDefault(id, List.of());
        if (byTag && tags.size() > 1) {
            withIndex(index -> index.remove(full));
            removed.add("Untagged: " + full);
            return removed;
        }
        if (!force && usedByContainer.test(id))
            throw new HutchException("conflict: unable to remove image " + reference + ": it is used by a container (remove the container first, or use -f)");
        withIndex(index -> index.values().removeIf(id::equals));
        tags.forEach(t -> removed.add("Untagged: " + t));
        ImageRecord rec = record(id);
        try {
            Files.deleteIfExists(recordFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        removed.add("Deleted: " + id);
        Set<String> stillUsed = new HashSet<>();
        for (String other : ids()) stillUsed.addAll(record(other).diffIds());
        for (String d : rec.diffIds()) {
            if (!stillUsed.contains(d) && layers.has(d)) {
                layers.remove(d);
                removed.add("Deleted: " + d);
            }
        }
        return removed;
    }

    public Map<String, String> repositories() {
        String text = AtomicFiles.readOrNull(imagesDir.resolve("repositories.json"));
        if (text == null) return Map.of();
        Map<String, String> out = new TreeMap<>();
        Json.parseObject(text).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    /** Runs {@code work} once under the store's lock, e.g. to build an image only once. */
    public <T> T locked(String name, Supplier<T> work) {
        try {
            Files.createDirectories(imagesDir);
            try (FileChannel ch = FileChannel.open(imagesDir.resolve("." + name + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
                return work.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void withIndex(java.util.function.Consumer<Map<String, String>> change) {
        locked("index", () -> {
            Map<String, String> index = new TreeMap<>(repositories());
            change.accept(index);
            AtomicFiles.write(imagesDir.resolve("repositories.json"), Json.pretty(new LinkedHashMap<>(index)) + "\n");
            return null;
        });
    }

    private Map<String, List<String>> tagsById() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        repositories().forEach((tag, id) -> out.computeIfAbsent(id, k -> new ArrayList<>()).add(tag));
        return out;
    }

    private List<String> ids() {
        if (!Files.isDirectory(records)) return List.of();
        try (Stream<Path> s = Files.list(records)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> "sha256:" + n.substring(0, n.length() - 5)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Image load(String id) { return load(id, tagsById().getOrDefault(id, List.of())); }

    private Image load(String id, List<String> tags) {
        String text = AtomicFiles.readOrNull(recordFile(id));
        if (text == null) return null;
        ImageRecord r = ImageRecord.fromJson(Json.parse(text));
        return new Image(id, tags, r.diffIds(), r.diffIds().stream().map(layers::fs).toList(), r.config());
    }

    private Path recordFile(String id) { return records.resolve(LayerStore.hex(id) + ".json"); }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
