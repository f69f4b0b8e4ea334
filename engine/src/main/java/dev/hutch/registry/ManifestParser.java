package dev.hutch.registry;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the four manifest kinds a registry serves: docker schema2 and OCI image manifests (a
 * config and layers), docker manifest lists and OCI image indexes (one manifest per platform).
 * The kind comes from the document's own mediaType, else the response's Content-Type, else its
 * shape (OCI allows leaving mediaType out).
 */
public final class ManifestParser {
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** What a pull asks for, best first: the Accept header. */
    public static final List<String> ACCEPTED = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    /** A manifest: the config blob and the layers, bottom first. */
    public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {}

    /** An index: one manifest per platform. */
    public record Index(String mediaType, List<Descriptor> manifests) {
        /** The first entry for {@code wanted}, as docker chooses; null if none fits. */
        public Descriptor select(Platform wanted) {
            for (Descriptor d : manifests) if (d.platform() != null && wanted.accepts(d.platform())) return d;
            return null;
        }

        public List<String> platforms() {
            return manifests.stream().filter(d -> d.platform() != null).map(d -> d.platform().toString()).toList();
        }
    }

    private ManifestParser() {}

    /** @return an {@link ImageManifest} or an {@link Index} */
    public static Object parse(byte[] body, String contentType) {
        Map<String, Object> doc;
        try {
            doc = Json.parseObject(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new RegistryException(RegistryException.Kind.BAD_MANIFEST, "the registry sent a manifest that is not JSON: " + e.getMessage(), e);
        }
        JsonReader r = JsonReader.of(doc);
        String type = r.string("mediaType");
        if (type == null || type.isEmpty()) type = contentType == null ? "" : contentType.split(";")[0].trim();
        if (r.number("schemaVersion", 2) == 1 || type.startsWith("application/vnd.docker.distribution.manifest.v1"))
            throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "the image has a docker schema 1 manifest, which registries deprecated in 2019: push it again with a current tool");
        boolean isIndex = type.equals(OCI_INDEX) || type.equals(DOCKER_LIST) || (!r.has("layers") && r.has("manifests"));
        if (isIndex) {
            List<Descriptor> ms = new ArrayList<>();
            for (Object m : r.list("manifests")) ms.add(Descriptor.from(JsonReader.of(m), "index entry"));
            return new Index(type, ms);
        }
        if (!r.has("config"))
            throw new RegistryException(RegistryException.Kind.BAD_MANIFEST, "the registry sent a manifest of type \"" + type + "\" without a config");
        Descriptor config = Descriptor.from(r.object("config"), "config");
        List<Descriptor> layers = new ArrayList<>();
        int i = 0;
        for (Object l : r.list("layers")) layers.add(Descriptor.from(JsonReader.of(l), "layer " + (++i)));
        return new ImageManifest(type, config, layers);
    }

    /** Refuses, in one line, a layer hutch does not fetch (foreign ones); tar, gzip and zstd are unpacked by their magic. */
    public static void checkLayerType(Descriptor layer) {
        String t = layer.mediaType();
        if (t.contains("nondistributable") || t.contains("foreign"))
            throw new RegistryException(RegistryException.Kind.UNSUPPORTED, "layer " + layer.digest() + " is a foreign layer (" + t
                    + "), which hutch does not fetch");
    }
}
