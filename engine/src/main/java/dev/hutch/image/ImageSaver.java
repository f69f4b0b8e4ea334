package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.ArchiveWriter;
import dev.hutch.json.Json;
import dev.hutch.util.Sha256;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hutch save}: images as a tar in docker's archive format ({@code manifest.json},
 * {@code <config>.json}, {@code <layer>/layer.tar}, what {@code docker load} reads) or as an OCI
 * image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}).
 *
 * <p>The archive is written straight to its destination, each layer's tar streamed from the
 * store's directory into it: a tar header needs the size and an OCI blob its digest up front, and
 * {@link LayerStore#tarOf} knows both (hashed once per layer, then kept). What is written is hashed
 * again on the way and must match, so an archive never names a digest its bytes do not have.
 * (Staging each layer's tar on disk first and then archiving the stage wrote every byte twice and
 * read it twice.) For layers hutch made, the tar is
 * the very bytes the diff id was computed from; for a layer loaded from elsewhere it may not be,
 * and then the saved config lists the new digests (the saved image gets a new id) rather than lie.
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
        try {
            ArchiveWriter archive = new ArchiveWriter(out);
            Set<String> written = new HashSet<>(); // a layer or config shared by two images goes in once
            List<Map<String, Object>> manifests = new ArrayList<>();
            Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
            for (String ref : references) {
                Image image = store.resolve(ref);
                List<String> tags = image.repoTags().isEmpty() || !image.repoTags().contains(ImageReference.normalizeOrNull(ref))
                        ? image.repoTags() : List.of(ImageReference.normalize(ref));
                manifests.add(format == Format.DOCKER_ARCHIVE
                        ? dockerImage(image, tags, archive, written, repositories)
                        : ociImage(image, tags, archive, written));
            }
            if (format == Format.DOCKER_ARCHIVE) {
                archive.file("manifest.json", utf8(Json.write(manifests)));
                archive.file("repositories", utf8(Json.write(repositories)));
            } else {
                archive.file("oci-layout", utf8("{\"imageLayoutVersion\":\"1.0.0\"}"));
                Map<String, Object> index = new LinkedHashMap<>();
                index.put("schemaVersion", 2);
                index.put("mediaType", OCI_INDEX);
                index.put("manifests", manifests);
                archive.file("index.json", utf8(Json.write(index)));
            }
            archive.finish();
            out.flush();
        } catch (IOException e) {
            throw new HutchException("cannot save " + references + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> dockerImage(Image image, List<String> tags, ArchiveWriter archive, Set<String> written,
                                            Map<String, Map<String, String>> repositories) throws IOException {
        List<String> layerPaths = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String diffId : image.layerDigests()) {
            LayerStore.LayerTar tar = store.layers().tarOf(diffId);
            String path = hex(tar.digest()) + "/layer.tar";
            if (written.add(path)) archive.stream(path, tar.size(), o -> store.layers().writeVerifiedTar(diffId, tar, o));
            layerPaths.add(path);
            digests.add(tar.digest());
        }
        byte[] config = configWithDiffIds(image, digests);
        String configHex = Sha256.hex(config);
        if (written.add(configHex + ".json")) archive.file(configHex + ".json", config);
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

    private Map<String, Object> ociImage(Image image, List<String> tags, ArchiveWriter archive, Set<String> written) throws IOException {
        List<Object> layers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        for (String diffId : image.layerDigests()) {
            LayerStore.LayerTar tar = store.layers().tarOf(diffId);
            String path = "blobs/sha256/" + hex(tar.digest());
            if (written.add(path)) archive.stream(path, tar.size(), o -> store.layers().writeVerifiedTar(diffId, tar, o));
            layers.add(descriptor(OCI_LAYER, tar.digest(), tar.size()));
            digests.add(tar.digest());
        }
        byte[] config = configWithDiffIds(image, digests);
        String configDigest = blob(archive, written, config);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OCI_MANIFEST);
        manifest.put("config", descriptor(OCI_CONFIG, configDigest, config.length));
        manifest.put("layers", layers);
        byte[] manifestBytes = utf8(Json.write(manifest));
        Map<String, Object> entry = descriptor(OCI_MANIFEST, blob(archive, written, manifestBytes), manifestBytes.length);
        if (!tags.isEmpty()) {
            String tag = tags.get(0);
            Map<String, Object> annotations = new LinkedHashMap<>();
            annotations.put("io.containerd.image.name", tag);
            annotations.put("org.opencontainers.image.ref.name", tag.substring(tag.lastIndexOf(':') + 1));
            entry.put("annotations", annotations);
        }
        return entry;
    }

    private byte[] configWithDiffIds(Image image, List<String> digests) {
        byte[] original = store.configBytes(image.id());
        if (digests.equals(image.layerDigests())) return original; // the common case: the image keeps its id
        ImageDocument doc = ImageDocument.parse(original);
        return doc.withLayersAndConfig(digests, doc.config(), doc.history(), doc.created(), doc.author()).toBytes();
    }

    private static String blob(ArchiveWriter archive, Set<String> written, byte[] content) throws IOException {
        String hex = Sha256.hex(content);
        if (written.add("blobs/sha256/" + hex)) archive.file("blobs/sha256/" + hex, content);
        return "sha256:" + hex;
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static byte[] utf8(String text) { return text.getBytes(StandardCharsets.UTF_8); }

    private static String hex(String digest) { return digest.substring("sha256:".length()); }
}
