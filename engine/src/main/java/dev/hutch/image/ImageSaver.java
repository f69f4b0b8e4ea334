package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.LayerTarWriter;
import dev.hutch.archive.SafePaths;
import dev.hutch.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import dev.hutch.util.Sha256;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code hutch save}: images as a tar in docker's archive format ({@code manifest.json},
 * {@code <config>.json}, {@code <layer>/layer.tar}, what {@code docker load} reads) or as an OCI
 * image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}). The files are
 * staged in {@code <libRoot>/layers/tmp/hutch-save-*} first, since a tar entry needs its size up front.
 *
 * <p>A layer's tar is written again from its directory. For layers hutch made that gives the very
 * bytes the diff id was computed from; for a layer loaded from elsewhere it may not, and then the
 * saved config lists the new digests (so the saved image gets a new id) rather than lie.
 */
public final class ImageSaver {
    public enum Format { DOCKER_ARCHIVE, OCI_LAYOUT }

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    private final LocalImageStore store;

    public ImageSaver(LocalImageStore store) { this.store = store; }

    public void save(List<String> references, Format format, OutputStream out) {
        Path stage = store.layers().newTempDir("hutch-save-");
        try {
            List<Map<String, Object>> manifests = new ArrayList<>();
            Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
            for (String ref : references) {
                Image image = store.resolve(ref);
                List<String> tags = image.repoTags().isEmpty() || !image.repoTags().contains(ImageReference.normalizeOrNull(ref))
                        ? image.repoTags() : List.of(ImageReference.normalize(ref));
                manifests.add(format == Format.DOCKER_ARCHIVE ? dockerImage(image, tags, stage, repositories) : ociImage(image, tags, stage));
            }
            if (format == Format.DOCKER_ARCHIVE) {
                write(stage.resolve("manifest.json"), Json.write(manifests));
                write(stage.resolve("repositories"), Json.write(repositories));
            } else {
                write(stage.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("schemaVersion", 2);
                index.put("mediaType", OCI_INDEX);
                index.put("manifests", manifests);
                write(stage.resolve("index.json"), Json.write(index));
            }
            LayerTarWriter.write(stage, out);
            out.flush();
        } catch (IOException e) {
            throw new HutchException("cannot save " + references + ": " + e.getMessage(), e);
        } finally {
            try {
                SafePaths.deleteRecursively(stage);
            } catch (IOException ignored) {
                // a leftover hutch-save-* dir under layers/tmp is harmless
            }
        }
    }

    private Map<String, Object> dockerImage(Image image, List<String> tags, Path stage,
                                            Map<String, Map<String, String>> repositories) throws IOException {
        List<String> layerPaths = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String diffId : image.layerDigests()) {
            Path tmp = stage.resolve("layer-" + UUID.randomUUID() + ".tar");
            String digest = writeLayer(diffId, tmp);
            Path dest = stage.resolve(hex(digest)).resolve("layer.tar");
            Files.createDirectories(dest.getParent());
            Files.move(tmp, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            layerPaths.add(hex(digest) + "/layer.tar");
            digests.add(digest);
        }
        byte[] config = configWithDiffIds(image, digests);
        String configHex = Sha256.hex(config);
        Files.write(stage.resolve(configHex + ".json"), config);
        for (String t : tags) {
            int colon = t.lastIndexOf(':');
            repositories.computeIfAbsent(t.substring(0, colon), k -> new LinkedHashMap<>()).put(t.substring(colon + 1), configHex);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Config", configHex + ".json");
        m.put("RepoTags", tags);
        m.put("Layers", layerPaths);
        return m;
    }

    private Map<String, Object> ociImage(Image image, List<String> tags, Path stage) throws IOException {
        Path blobs = stage.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        List<Object> layers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String diffId : image.layerDigests()) {
            Path tmp = stage.resolve("layer-" + UUID.randomUUID() + ".tar");
            String digest = writeLayer(diffId, tmp);
            Path dest = blobs.resolve(hex(digest));
            Files.move(tmp, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            layers.add(descriptor(OCI_LAYER, digest, Files.size(dest)));
            digests.add(digest);
        }
        byte[] config = configWithDiffIds(image, digests);
        String configDigest = blob(blobs, config);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("config", descriptor(OCI_CONFIG, configDigest, config.length));
        manifest.put("layers", layers);
        byte[] manifestBytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> entry = descriptor(OCI_MANIFEST, blob(blobs, manifestBytes), manifestBytes.length);
        if (!tags.isEmpty()) {
            String tag = tags.get(0);
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("io.containerd.image.name", tag);
            annotations.put("org.opencontainers.image.ref.name", tag.substring(tag.lastIndexOf(':') + 1));
            entry.put("annotations", annotations);
        }
        return entry;
    }

    /** Writes the layer's tar; returns its sha256. */
    private String writeLayer(String diffId, Path file) throws IOException {
        MessageDigest sha = Sha256.newDigest();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha)) {
            store.layers().writeTar(diffId, out);
        }
        return "sha256:" + Sha256.hex(sha);
    }

    private byte[] configWithDiffIds(Image image, List<String> digests) {
        byte[] original = store.configBytes(image.id());
        if (digests.equals(image.layerDigests())) return original; // the common case: the image keeps its id
        ImageDocument doc = ImageDocument.parse(original);
        return doc.withLayersAndConfig(digests, doc.config(), doc.history(), doc.created(), doc.author()).toBytes();
    }

    private static String blob(Path blobs, byte[] content) throws IOException {
        String hex = Sha256.hex(content);
        Files.write(blobs.resolve(hex), content);
        return "sha256:" + hex;
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text);
    }

    private static String hex(String digest) { return digest.substring("sha256:".length()); }
}
