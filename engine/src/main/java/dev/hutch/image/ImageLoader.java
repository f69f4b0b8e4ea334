package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.LayerUnpacker;
import dev.hutch.archive.SafePaths;
import dev.hutch.archive.TarLimits;
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
 * their ids. The outer tar goes through the same safe unpacker as layers.
 */
public final class ImageLoader {
    private final LocalImageStore store;

    public ImageLoader(LocalImageStore store) { this.store = store; }

    private record Found(Path config, List<Path> layers, List<String> tags) {}

    public List<Image> load(InputStream archive) {
        Path stage = store.layers().newTempDir("hutch-load-");
        List<String> imported = new ArrayList<>();
        boolean done = false;
        try {
            Path x = stage.resolve("x");
            new LayerUnpacker(store.limits()).unpack(archive, x);
            List<Found> found;
            if (Files.isRegularFile(x.resolve("manifest.json"))) found = dockerArchive(x);
            else if (Files.isRegularFile(x.resolve("index.json"))) found = ociLayout(x);
            else throw new HutchException("cannot load: the archive has neither manifest.json (docker save) nor index.json (OCI layout)");
            List<Image> images = new ArrayList<>();
            for (Found f : found) images.add(store(f, imported));
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

    private Image store(Found f, List<String> imported) throws IOException {
        byte[] config = Files.readAllBytes(f.config());
        List<String> diffIds = ImageDocument.parse(config).diffIds();
        if (diffIds.size() != f.layers().size())
            throw new HutchException("cannot load: the config lists " + diffIds.size() + " layers but the manifest has " + f.layers().size());
        for (int i = 0; i < diffIds.size(); i++) {
            Layer layer = store.importLayer(f.layers().get(i));
            imported.add(layer.digest());
            if (!layer.digest().equals(diffIds.get(i)))
                throw new HutchException("cannot load: layer " + (i + 1) + " has content " + layer.digest()
                        + " but the image config says " + diffIds.get(i) + " (the archive is damaged)");
        }
        return store.storeConfig(config, f.tags());
    }

    private static List<Found> dockerArchive(Path x) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Object o : (List<?>) Json.parse(Files.readString(x.resolve("manifest.json")))) {
            JsonReader m = JsonReader.of(o);
            List<Path> layers = m.strings("Layers").stream().map(p -> inside(x, p)).toList();
            out.add(new Found(inside(x, m.string("Config")), layers, m.strings("RepoTags")));
        }
        return out;
    }

    private static List<Found> ociLayout(Path x) throws IOException {
        List<Found> out = new ArrayList<>();
        for (Object d : JsonReader.of(Json.parse(Files.readString(x.resolve("index.json")))).list("manifests")) {
            JsonReader desc = JsonReader.of(d);
            Path blob = blob(x, desc.string("digest"));
            if (ImageSaver.OCI_INDEX.equals(desc.string("mediaType"))) {
                throw new HutchException("cannot load: nested OCI indexes (multi-platform images) are not supported; save one platform");
            }
            JsonReader manifest = JsonReader.of(Json.parse(Files.readString(blob)));
            String configDigest = manifest.object("config").string("digest");
            List<Path> layers = manifest.list("layers").stream().map(l -> blob(x, JsonReader.of(l).string("digest"))).toList();
            Map<String, String> ann = desc.stringMap("annotations");
            String name = ann.getOrDefault("io.containerd.image.name", ann.get("org.opencontainers.image.ref.name"));
            String tag = name == null ? null : ImageReference.normalizeOrNull(name);
            out.add(new Found(blob(x, configDigest), layers, tag == null ? List.of() : List.of(tag)));
        }
        return out;
    }

    private static Path blob(Path x, String digest) {
        if (digest == null || !digest.matches("sha256:[0-9a-f]{64}"))
            throw new HutchException("cannot load: \"" + digest + "\" is not a sha256 digest");
        return x.resolve("blobs/sha256").resolve(digest.substring(7));
    }

    private static Path inside(Path x, String rel) {
        if (rel == null) throw new HutchException("cannot load: manifest.json lacks a path");
        return x.resolve(SafePaths.normalizeEntryName(rel));
    }
}
