package dev.hutch.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The pure parts of push and login: the gzip a push sends, where blobs are known to be, the auth file, registry errors. */
class PushPiecesTest {
    @Test
    void adaptiveGzipStoresWhatDoesNotCompressAndStaysReadable() throws Exception {
        byte[] random = new byte[12 * 1024 * 1024];
        new Random(42).nextBytes(random);
        byte[] text = String.join("\n", java.util.stream.IntStream.range(0, 1_500_000).mapToObj(Integer::toString).toList())
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.write(text);
        whole.write(random);
        whole.write(text);
        byte[] input = whole.toByteArray();

        byte[] gz = gzip(input);
        assertArrayEquals(input, new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), "any gzip reader reads it back");
        assertArrayEquals(gz, gzip(input), "the same bytes give the same blob");
        // the random part cannot shrink (stored, it grows by a few bytes per 64 KiB block); the text
        // after it is stored too for at most one stretch (4 MiB) before the next probe compresses again
        long textGz = gzip(text).length;
        assertTrue(gz.length < random.length + 2 * textGz + 4 * 1024 * 1024 + 64 * 1024, "random stored, text compressed: " + gz.length);
        assertTrue(gz.length < input.length - text.length, "most of the text was compressed: " + gz.length);
        assertTrue(textGz < text.length / 3, "text still compresses: " + textGz);
    }

    private static byte[] gzip(byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AdaptiveGzipStream g = new AdaptiveGzipStream(out, CompressedLayer.LEVEL)) {
            for (int off = 0; off < input.length; off += 100_000) g.write(input, off, Math.min(100_000, input.length - off));
        }
        return out.toByteArray();
    }

    @Test
    void blobOriginsAreKeptPerRegistryMostRecentFirst(@TempDir Path dir) {
        BlobOrigins origins = new BlobOrigins(dir.resolve("distribution"));
        String diffId = "sha256:" + "a".repeat(64);
        assertEquals(List.of(), origins.in(diffId, "reg:5000"));
        BlobOrigins.Origin first = new BlobOrigins.Origin("sha256:" + "1".repeat(64), 10, ImagePusher.LAYER_TYPE, "reg:5000", "team/a");
        BlobOrigins.Origin second = new BlobOrigins.Origin("sha256:" + "1".repeat(64), 10, ImagePusher.LAYER_TYPE, "reg:5000", "team/b");
        BlobOrigins.Origin elsewhere = new BlobOrigins.Origin("sha256:" + "2".repeat(64), 11, ImagePusher.LAYER_TYPE, "other:5000", "team/a");
        origins.record(diffId, first);
        origins.record(diffId, second);
        origins.record(diffId, elsewhere);
        origins.record(diffId, first); // again: moves to the front, not twice
        assertEquals(List.of(first, second), origins.in(diffId, "reg:5000"));
        assertEquals(List.of(elsewhere), new BlobOrigins(dir.resolve("distribution")).in(diffId, "other:5000"), "kept on disk");
    }

    @Test
    void loginWritesA0600FileAndLogoutRemovesEveryFormOfTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("lib/auth.json");
        AuthFile.store(file, "reg:5000", new Credentials("u", "p"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        RegistryConfig cfg = RegistryConfig.fromEnvironment(Map.of("HUTCH_AUTH_FILE", file.toString(), "DOCKER_CONFIG", dir.resolve("none").toString()), dir);
        assertEquals(new Credentials("u", "p"), Credentials.lookup(cfg, "reg:5000"));

        AuthFile.store(file, "docker.io", new Credentials("hub", "pw"));
        assertTrue(Files.readString(file).contains("\"https://index.docker.io/v1/\""), "Docker Hub under docker's key");
        AuthFile.store(file, "reg:5000", new Credentials("u2", "p2"));
        assertEquals(new Credentials("u2", "p2"), Credentials.lookup(cfg, "reg:5000"), "replaced, not added");

        assertTrue(AuthFile.remove(file, AuthFile.registryOf("https://reg:5000/v2/")));
        assertNull(Credentials.lookup(cfg, "reg:5000"));
        assertEquals(new Credentials("hub", "pw"), Credentials.lookup(cfg, "docker.io"), "other entries kept");
        assertFalse(AuthFile.remove(file, "reg:5000"), "not logged in");
        assertFalse(AuthFile.remove(dir.resolve("absent.json"), "reg:5000"));
        assertFalse(Files.exists(dir.resolve("absent.json")), "logout creates no file");
        assertEquals("docker.io", AuthFile.registryOf("index.docker.io"));
    }

    @Test
    void theRegistrysOwnErrorMakesTheLine() {
        assertEquals("blob upload invalid: digest did not match", BlobUploader.registryErrors(
                "{\"errors\":[{\"code\":\"BLOB_UPLOAD_INVALID\",\"message\":\"digest did not match\",\"detail\":{}}]}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", BlobUploader.registryErrors(new byte[0]));
        assertEquals("bad gateway", BlobUploader.registryErrors("bad gateway".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theManifestIsDockersSchema2() {
        String m = new String(ImagePusher.manifest("sha256:" + "c".repeat(64), 123, List.of()), StandardCharsets.UTF_8);
        Object parsed = ManifestParser.parse(m.getBytes(StandardCharsets.UTF_8), null);
        ManifestParser.ImageManifest im = assertInstanceOf(ManifestParser.ImageManifest.class, parsed);
        assertEquals(ManifestParser.DOCKER_MANIFEST, im.mediaType());
        assertEquals(123, im.config().size());
        assertEquals(ImagePusher.CONFIG_TYPE, im.config().mediaType());
    }
}
