package dev.hutch.cli.registry;

import dev.hutch.image.ImageDocument;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An OCI image layout whose tag {@code multi} is an image index of two platforms: the built-in
 * busybox (from {@code hutch save --format oci-archive}) for the host's architecture, and a
 * one-file image (uncompressed layer) for another architecture. {@code skopeo copy --all} pushes
 * the index and both manifests as they are.
 */
final class MultiPlatformLayout {
    private MultiPlatformLayout() {}

    /** The architecture that is not the host's. */
    static String other() { return ImageDocument.hostArchitecture().equals("arm64") ? "amd64" : "arm64"; }

    static Path write(Path dir, Path ociTar, Consumer<String[]> hutch) throws Exception {
        Files.createDirectories(dir);
        hutch.accept(new String[]{"save", "--format", "oci-archive", "-o", ociTar.toString(), "busybox"});
        LocalRegistry.run(List.of("tar", "-C", dir.toString(), "-xf", ociTar.toString()));
        JsonReader top = JsonReader.of(Json.parseObject(Files.readString(dir.resolve("index.json"))));
        JsonReader busybox = JsonReader.of(top.list("manifests").get(0));
        Map<String, Object> hostEntry = descriptor(busybox.string("mediaType"), busybox.string("digest"), busybox.number("size", 0));
        hostEntry.put("platform", Map.of("os", "linux", "architecture", ImageDocument.hostArchitecture()));

        Path files = Files.createDirectories(dir.resolve("other-fs"));
        Files.writeString(files.resolve("platform"), other() + "\n");
        Path layerTar = dir.resolve("other-layer.tar");
        LocalRegistry.run(List.of("tar", "-C", files.toString(), "-cf", layerTar.toString(), "platform"));
        byte[] layer = Files.readAllBytes(layerTar);
        String layerDigest = blob(dir, layer);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", other());
        config.put("os", "linux");
        config.put("config", Map.of("Cmd", List.of("cat", "/platform")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(layerDigest)));
        byte[] configBytes = Json.write(config).getBytes(StandardCharsets.UTF_8);
        String configDigest = blob(dir, configBytes);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", configDigest, configBytes.length));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest, layer.length)));
        byte[] manifestBytes = Json.write(manifest).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> otherEntry = descriptor("application/vnd.oci.image.manifest.v1+json", blob(dir, manifestBytes), manifestBytes.length);
        otherEntry.put("platform", Map.of("os", "linux", "architecture", other()));

        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.put("manifests", List.of(otherEntry, hostEntry)); // the host's second: the choice is by platform, not order
        byte[] indexBytes = Json.write(index).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> indexEntry = descriptor("application/vnd.oci.image.index.v1+json", blob(dir, indexBytes), indexBytes.length);
        indexEntry.put("annotations", Map.of("org.opencontainers.image.ref.name", "multi"));
        Files.writeString(dir.resolve("index.json"), Json.write(Map.of("schemaVersion", 2, "manifests", List.of(indexEntry))));
        return dir;
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String blob(Path dir, byte[] bytes) throws Exception {
        String digest = RegistryFixture.sha256(bytes);
        Path f = dir.resolve("blobs/sha256").resolve(digest.substring(7));
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return digest;
    }
}
