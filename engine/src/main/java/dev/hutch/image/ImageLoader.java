package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code hutch load}: reads a tar in docker's archive format or an OCI image layout (what
 * {@code docker save}, {@code podman save} and {@link ImageSaver} write), checks every layer against
 * the diff ids in its config, and stores the images with their exact config bytes, so they keep
 * their ids. The archive is read in one pass ({@link StreamedImageArchive}): each layer is unpacked
 * through the same safe unpacker as every layer while it streams, and enters the store only once
 * its image's config has named its diff id.
 */
public final class ImageLoader {
    private final LocalImageStore store;

    public ImageLoader(LocalImageStore store) { this.store = store; }

    private record Found(String config, List<String> layers, List<String> tags) {}

    public List<Image> load(InputStream archive) {
        Path stage = store.layers().newTempDir("hutch-load-");
        List<String> imported = new ArrayList<>();
        boolean done = false;
        try (StreamedImageArchive x = new StreamedImageArchive(store.layers(), store.limits(), stage)) {
            x.read(archive);
            List<Found> found;
            if (x.file("manifest.json") != null) found = dockerArchive(x);
            else if (x.file("index.json") != null) found = ociLayout(x);
            else throw new HutchException("cannot load: the archive has neither manifest.json (docker save) nor index.json (OCI layout)");
            List<Image> images = new ArrayList<>();
            for (Found f : found) images.add(store(x, f, imported));
            done = true;
            return images;
        } catch (IOException e) {
            throw new HutchException("cannot load the image archive: " + e.getMessage(), e);
        } finally {
            // a bad layer after good ones must not leave the good ones behind with no image
            if (!done) store.dropUnusedLayers(imported);
            try {
                SafePaths.deleteRecursively(stage);
            } catch (IOException ignored) {
                // a leftover hutch-load-* dir under layers/tmp is harmless
            }
        }
    }

    private Image store(StreamedImageArchive x, Found f, List<String> imported) throws IOException {
        Path configFile = x.file(f.config());
        if (configFile == null) throw new HutchException("cannot load: the archive lacks the config " + f.config() + " that its manifest lists");
        byte[] config = Files.readAllBytes(configFile); // the exact bytes: the id is their digest
        List<String> diffIds = ImageDocument.parse(config).diffIds();
        if (diffIds.size() != f.layers().size())
            throw new HutchException("cannot load: the config lists " + diffIds.size() + " layers but the manifest has " + f.layers().size());
        for (int i = 0; i < diffIds.size(); i++) {
            String path = f.layers().get(i);
            LayerStore.Unpacked u = x.layer(path);
            if (u != null && !u.diffId().equals(diffIds.get(i)))
                throw new HutchException("cannot load: layer " + (i + 1) + " has content " + u.diffId()
                        + " but the image config says " + diffIds.get(i) + " (the archive is damaged)");
            Layer layer;
            if (u != null) {
                layer = store.layers().publish(u);
            } else {
                Path file = x.file(path);
                if (file == null) throw new HutchException("cannot load: the archive lacks layer " + path + " that its manifest lists");
                layer = store.importLayer(file);
            }
            imported.add(layer.digest());
            if (!layer.digest().equals(diffIds.get(i)))
                throw new HutchException("cannot load: layer " + (i + 1) + " has content " + layer.digest()
                        + " but the image config says " + diffIds.get(i) + " (the archive is damaged)");
        }
        return store.storeConfig(config, f.tags());
    }

    private static List<Found> dockerArchive(StreamedImageArchive x) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(x.text("manifest.json"))) {
            JsonReader m = JsonReader.of(o);
            List<String> layers = m.strings("Layers").stream().map(ImageLoader::inside).toList();
            out.add(new Found(inside(m.string("Config")), layers, m.strings("RepoTags")));
        }
        return out;
    }

    private static List<Found> ociLayout(StreamedImageArchive x) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Object d : JsonReader.of(Json.parse(x.text("index.json"))).list("manifests")) {
            JsonReader desc = JsonReader.of(d);
            String blob = blob(desc.string("digest"));
            if (ImageSaver.OCI_INDEX.equals(desc.string("mediaType"))) {
                throw new HutchException("cannot load: nested OCI indexes (multi-platform images) are not supported; save one platform");
            }
            JsonReader manifest = JsonReader.of(Json.parse(x.text(blob)));
            String configDigest = manifest.object("config").string("digest");
            List<String> layers = manifest.list("layers").stream().map(l -> blob(JsonReader.of(l).string("digest"))).toList();
            Map<String, String> ann = desc.stringMap("annotations");
            String name = ann.getOrDefault("io.containerd.image.name", ann.get("org.opencontainers.image.ref.name"));
            String tag = name == null ? null : ImageReference.normalizeOrNull(name);
            out.add(new Found(blob(configDigest), layers, tag == null ? List.of() : List.of(tag)));
        }
        return out;
    }

    private static String blob(String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}"))
            throw new HutchException("cannot load: \"" + digest + "\" is not a sha256 digest");
        return "blobs/sha256/" + digest.substring(7);
    }

    private static String inside(String rel) {
        if (rel == null) throw new HutchException("cannot load: manifest.json lacks a path");
        return SafePaths.normalizeEntryName(rel);
    }
}
