package dev.hutch.image;

import dev.hutch.util.FileLock;
import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.archive.TarLimits;
import dev.hutch.config.EngineConfig;
import dev.hutch.util.AtomicFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The image store on disk (docs/layer-store.md):
 * <pre>
 *   images/repositories.json     name:tag → image id
 *   images/sha256/&lt;hex&gt;.json    the image config document; hex = sha256 of these exact bytes
 *   layers/...                   see {@link LayerStore}
 * </pre>
 * {@link #find} and {@link #resolve} only read two small files and never hash: they are on the
 * {@code run} path. Every change happens under {@code images/.hutch-store.lock}.
 */
public final class LocalImageStore implements ImageStore {
    private final Path imagesDir;
    private final LayerStore layers;
    private final RepositoryIndex index;

    public LocalImageStore(EngineConfig config) { this(config, TarLimits.defaults(config.env())); }

    public LocalImageStore(EngineConfig config, TarLimits limits) {
        this.imagesDir = config.imagesDir();
        this.layers = new LayerStore(config.layersDir(), limits);
        this.index = new RepositoryIndex(imagesDir.resolve("repositories.json"));
    }

    public LayerStore layers() { return layers; }

    /** Where a registry client keeps what it learnt about the layers' compressed blobs (dev.hutch.registry.BlobOrigins). */
    public Path distributionDir() { return imagesDir.resolve("distribution"); }

    /** The caps on an archive this store unpacks (docker load takes the same as a layer). */
    public TarLimits limits() { return layers.limits(); }

    // ---- reading ----

    @Override
    public Image resolve(String reference) {
        Image image = find(reference);
        if (image == null) {
            String shown = ImageReference.normalizeOrNull(reference);
            throw new NotFoundException("Unable to find image '" + (shown == null ? reference : shown) + "' (see hutch images)");
        }
        return image;
    }

    @Override
    public Image find(String reference) {
        String id = findId(reference);
        return id == null ? null : load(id, index.read());
    }

    /** The full image id for a name:tag, a full id or a unique id prefix; null if none. */
    public String findId(String reference) {
        if (reference == null || reference.isBlank()) return null;
        if (!reference.startsWith("sha256:")) {
            String name = ImageReference.normalizeOrNull(reference);
            if (name != null) {
                String id = index.read().get(name);
                if (id != null) return id;
            }
        }
        String hex = ImageReference.idHex(reference);
        if (hex == null) return null;
        List<String> matches = allIds().stream().filter(i -> i.startsWith("sha256:" + hex)).toList();
        if (matches.size() > 1)
            throw new HutchException("image id prefix '" + reference + "' is ambiguous: it matches " + matches.size() + " images (give more characters)");
        return matches.isEmpty() ? null : matches.get(0);
    }

    @Override
    public List<Image> list() {
        TreeMap<String, String> tags = index.read();
        return allIds().stream().map(id -> load(id, tags)).toList();
    }

    /** Newest first, as {@code hutch images} prints them. */
    public List<ImageSummary> summaries() {
        List<ImageSummary> out = new ArrayList<>();
        for (Image image : list()) out.add(new ImageSummary(image, document(image.id()).createdInstant(), size(image)));
        out.sort(Comparator.comparing(ImageSummary::created).reversed().thenComparing(s -> s.image().id()));
        return out;
    }

    public ImageDocument document(String imageId) { return ImageDocument.parse(configBytes(imageId)); }

    /** The exact config bytes whose sha256 is the id (what {@code save} writes). */
    public byte[] configBytes(String imageId) {
        try {
            return Files.readAllBytes(configFile(imageId));
        } catch (IOException e) {
            throw new NotFoundException("Unable to find image '" + imageId + "' (see hutch images)");
        }
    }

    public long size(Image image) {
        return image.layerDigests().stream().distinct().mapToLong(d -> layers.get(d).size()).sum();
    }

    // ---- adding ----

    /** Imports a layer from a directory (overlay or aufs format) or a tar file (plain or gzip). */
    public Layer importLayer(Path dirOrTar) {
        return Files.isDirectory(dirOrTar) ? layers.importDirectory(dirOrTar) : layers.importTar(dirOrTar);
    }

    public Layer importLayer(InputStream tar) { return layers.importTar(tar); }

    /**
     * Creates an image from stored layers (bottom first) and run defaults, with one history entry
     * per layer, and points the tags at it.
     */
    public Image createImage(List<String> layerDigests, ImageConfig config, List<String> tags) {
        String now = Instant.now().toString();
        List<HistoryEntry> history = layerDigests.stream().map(d -> new HistoryEntry(now, "hutch import", "", false)).toList();
        return createImage(new ImageDocument(ImageDocument.hostArchitecture(), "linux", now, "", config, layerDigests, history), tags);
    }

    /** Stores the document (its layers must be stored already) and tags it. */
    public Image createImage(ImageDocument document, List<String> tags) {
        return storeConfig(document.toBytes(), tags);
    }

    /** Stores config bytes exactly as given, e.g. from {@code load}, so the image keeps its id. */
    public Image storeConfig(byte[] configBytes, List<String> tags) {
        ImageDocument doc = ImageDocument.parse(configBytes);
        for (String d : doc.diffIds()) {
            if (!layers.exists(d)) throw new HutchException("cannot create the image: its layer " + d + " is not stored (import it first)");
        }
        List<String> names = tags.stream().map(ImageReference::normalize).toList();
        String id = "sha256:" + dev.hutch.util.Sha256.hex(configBytes);
        try (FileLock lock = lock()) {
            Path file = configFile(id);
            if (!Files.exists(file)) AtomicFiles.write(file, configBytes);
            if (!names.isEmpty()) {
                TreeMap<String, String> all = index.read();
                names.forEach(n -> all.put(n, id));
                index.write(all);
            }
        }
        return find(id);
    }

    /** {@code hutch tag SOURCE TARGET}. */
    public void tag(String source, String target) {
        String name = ImageReference.normalize(target);
        try (FileLock lock = lock()) {
            String id = resolve(source).id();
            TreeMap<String, String> all = index.read();
            all.put(name, id);
            index.write(all);
        }
    }

    // ---- removing ----

    /**
     * {@code hutch rmi}, with docker's rules: removing one of several tags only untags; an image in
     * use by a container is refused, or with {@code force} only untagged (it stays, dangling, until
     * the container is gone); layers go when no remaining image uses them.
     *
     * @param inUse given a full image id, whether some container uses it
     */
    public RemovalReport remove(String reference, boolean force, Predicate<String> inUse) {
        try (FileLock lock = lock()) {
            String id = findId(reference);
            if (id == null) throw new NotFoundException("No such image: " + reference + " (see hutch images)");
            TreeMap<String, String> all = index.read();
            List<String> tagsOfImage = all.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).toList();
            String byName = ImageReference.normalizeOrNull(reference);
            boolean namedByTag = byName != null && id.equals(all.get(byName));
            if (namedByTag && tagsOfImage.size() > 1) {
                all.remove(byName);
                index.write(all);
                return new RemovalReport(List.of(byName), List.of());
            }
            if (!namedByTag && tagsOfImage.size() > 1 && !force)
                throw new HutchException("image " + shortId(id) + " is referenced by several tags " + tagsOfImage
                        + ": remove them one by one, or use --force");
            if (inUse.test(id)) {
                if (!force)
                    throw new HutchException("image " + (namedByTag ? byName : shortId(id)) + " is used by a container: remove the container first, or use --force to only untag it");
                tagsOfImage.forEach(all::remove);
                index.write(all);
                return new RemovalReport(tagsOfImage, List.of());
            }
            tagsOfImage.forEach(all::remove);
            index.write(all);
            List<String> deleted = new ArrayList<>();
            List<String> layersOfImage = document(id).diffIds();
            deleteFile(configFile(id));
            deleted.add(id);
            deleted.addAll(collectLayers(layersOfImage));
            return new RemovalReport(tagsOfImage, deleted);
        }
    }

    /**
     * {@code image prune}: removes untagged images no container uses (what {@code rmi --force}
     * and re-tagging leave behind), and their layers that no other image lists.
     */
    public RemovalReport pruneDangling(Predicate<String> inUse) {
        try (FileLock lock = lock()) {
            java.util.Collection<String> tagged = index.read().values();
            List<String> deleted = new ArrayList<>();
            List<String> candidates = new ArrayList<>();
            for (String id : allIds()) {
                if (tagged.contains(id) || inUse.test(id)) continue;
                candidates.addAll(document(id).diffIds());
                deleteFile(configFile(id));
                deleted.add(id);
            }
            deleted.addAll(collectLayers(candidates));
            return new RemovalReport(List.of(), deleted);
        }
    }

    /**
     * Deletes those of the layers that no stored image lists: what a load that failed half-way
     * imported. (A concurrent import of the same layer then finds it gone and says so.)
     */
    public List<String> dropUnusedLayers(List<String> digests) {
        if (digests.isEmpty()) return List.of();
        try (FileLock lock = lock()) {
            return collectLayers(digests);
        }
    }

    /** Deletes those of {@code candidates} that no stored image lists. Call under the lock. */
    private List<String> collectLayers(List<String> candidates) {
        Set<String> stillUsed = new HashSet<>();
        for (String other : allIds()) stillUsed.addAll(document(other).diffIds());
        List<String> deleted = new ArrayList<>();
        for (String d : new java.util.LinkedHashSet<>(candidates)) {
            if (stillUsed.contains(d)) continue;
            layers.delete(d);
            deleted.add(d);
        }
        return deleted;
    }

    /**
     * Runs {@code work} while holding a named lock of this store, e.g. so that two first runs of
     * {@code busybox} build it once (the second finds it when it gets the lock).
     */
    public <T> T locked(String name, java.util.function.Supplier<T> work) {
        if (!name.matches("[a-z0-9-]+")) throw new IllegalArgumentException("lock name: " + name);
        try (FileLock lock = FileLock.acquire(imagesDir.resolve(".hutch-" + name + ".lock"))) {
            return work.get();
        }
    }

    // ---- helpers ----

    private Image load(String id, TreeMap<String, String> tags) {
        ImageDocument doc = document(id);
        List<String> repoTags = tags.entrySet().stream().filter(e -> e.getValue().equals(id)).map(Map.Entry::getKey).toList();
        return new Image(id, repoTags, doc.diffIds(), doc.diffIds().stream().map(layers::fsDir).toList(), doc.config());
    }

    private List<String> allIds() {
        Path dir = imagesDir.resolve("sha256");
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(dir)) return ids;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                ids.add("sha256:" + name.substring(0, name.length() - ".json".length()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ids.sort(null);
        return ids;
    }

    private Path configFile(String id) {
        String hex = ImageReference.idHex(id);
        if (hex == null || hex.length() != 64) throw new IllegalArgumentException("not a full image id: " + id);
        return imagesDir.resolve("sha256").resolve(hex + ".json");
    }

    private FileLock lock() { return FileLock.acquire(imagesDir.resolve(".hutch-store.lock")); }

    private static String shortId(String id) { return id.substring(7, 19); }

    private static void deleteFile(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new HutchException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
