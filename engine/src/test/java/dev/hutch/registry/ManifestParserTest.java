package dev.hutch.registry;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The four manifest kinds, platform choice, and what is refused. */
class ManifestParserTest {
    static final String A = "sha256:" + "a".repeat(64), B = "sha256:" + "b".repeat(64), C = "sha256:" + "c".repeat(64);

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void aDockerSchema2ManifestHasConfigAndLayersInOrder() {
        Object m = ManifestParser.parse(utf8("""
                {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
                 "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"%s","size":10},
                 "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":20},
                           {"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":"%s","size":30}]}
                """.formatted(A, B, C)), null);
        ManifestParser.ImageManifest im = assertInstanceOf(ManifestParser.ImageManifest.class, m);
        assertEquals(A, im.config().digest());
        assertEquals(B, im.layers().get(0).digest());
        assertEquals(30, im.layers().get(1).size());
        assertEquals("bbbbbbbbbbbb", im.layers().get(0).shortId());
    }

    @Test
    void anOciIndexWithoutMediaTypeIsKnownByItsShapeAndChoosesByPlatform() {
        Object m = ManifestParser.parse(utf8("""
                {"schemaVersion":2,"manifests":[
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"arm","variant":"v7"}},
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"arm64","variant":"v8"}},
                  {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1,"platform":{"os":"linux","architecture":"amd64"}}]}
                """.formatted(A, B, C)), ManifestParser.OCI_INDEX);
        ManifestParser.Index index = assertInstanceOf(ManifestParser.Index.class, m);
        assertEquals(C, index.select(Platform.parse("linux/amd64")).digest());
        assertEquals(B, index.select(Platform.parse("linux/arm64")).digest(), "arm64 means v8");
        assertEquals(B, index.select(Platform.parse("linux/aarch64")).digest());
        assertEquals(A, index.select(Platform.parse("linux/arm/v7")).digest());
        assertNull(index.select(Platform.parse("linux/arm/v6")));
        assertNull(index.select(Platform.parse("windows/amd64")));
        assertEquals(java.util.List.of("linux/arm/v7", "linux/arm64/v8", "linux/amd64"), index.platforms());
    }

    @Test
    void schema1BadDigestsAndForeignLayersAreRefusedWithOneLine() {
        RegistryException s1 = assertThrows(RegistryException.class, () -> ManifestParser.parse(utf8("{\"schemaVersion\":1,\"fsLayers\":[]}"), null));
        assertEquals(RegistryException.Kind.UNSUPPORTED, s1.kind());
        RegistryException bad = assertThrows(RegistryException.class, () -> ManifestParser.parse(utf8(
                "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha512:abc\",\"size\":1},\"layers\":[]}"), ManifestParser.OCI_MANIFEST));
        assertTrue(bad.getMessage().contains("sha512:abc"), bad.getMessage());
        RegistryException foreign = assertThrows(RegistryException.class, () -> ManifestParser.checkLayerType(
                new Descriptor("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", A, 1, null)));
        assertTrue(foreign.getMessage().contains("foreign"));
        assertFalse(foreign.getMessage().contains("\n"));
        ManifestParser.checkLayerType(new Descriptor("application/vnd.oci.image.layer.v1.tar+zstd", A, 1, null));
        ManifestParser.checkLayerType(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", A, 1, null));
        ManifestParser.checkLayerType(new Descriptor("application/vnd.oci.image.layer.v1.tar", A, 1, null));
    }

    @Test
    void platformsParseWithDockersAliasesAndRefuseNonsense() {
        assertEquals(new Platform("linux", "amd64", null), Platform.parse("linux/x86_64"));
        assertEquals("linux/arm64/v8", Platform.parse("LINUX/ARM64").toString());
        assertThrows(dev.hutch.HutchException.class, () -> Platform.parse("amd64"));
        assertEquals("linux", Platform.host().os());
    }
}
