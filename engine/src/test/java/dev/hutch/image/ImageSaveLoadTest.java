package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.archive.TestTars;
import dev.hutch.config.EngineConfig;
import dev.hutch.json.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSaveLoadTest {
    @TempDir
    Path tmp;

    private LocalImageStore store(String name) {
        return new LocalImageStore(EngineConfig.defaults().withLibRoot(tmp.resolve(name)));
    }

    /** An image whose layers hutch wrote itself (from directories), so saving reproduces them exactly. */
    private Image hutchMadeImage(LocalImageStore s) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src/bin"));
        Files.writeString(dir.resolve("tool"), "#!/bin/sh\necho tool\n");
        Layer l = s.importLayer(tmp.resolve("src"));
        return s.createImage(List.of(l.digest()), new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("tool"), null, null, List.of(), null),
                List.of("tool:1"));
    }

    private Map<String, byte[]> entries(byte[] tar) throws Exception {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) out.put(e.getName(), in.readAllBytes());
        }
        return out;
    }

    @Test
    void dockerArchiveRoundTripKeepsTheImageId() throws Exception {
        LocalImageStore a = store("a");
        Image image = hutchMadeImage(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, out);

        Map<String, byte[]> files = entries(out.toByteArray());
        Object manifest = Json.parse(new String(files.get("manifest.json"), StandardCharsets.UTF_8));
        assertEquals("[{\"Config\":\"" + image.id().substring(7) + ".json\",\"RepoTags\":[\"tool:1\"],\"Layers\":[\""
                + image.layerDigests().get(0).substring(7) + "/layer.tar\"]}]", Json.write(manifest));

        List<Image> loaded = new ImageLoader(store("b")).load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(image.id(), loaded.get(0).id());
        assertEquals(List.of("tool:1"), loaded.get(0).repoTags());
        assertEquals("#!/bin/sh\necho tool\n", Files.readString(loaded.get(0).layerDirs().get(0).resolve("bin/tool")));
    }

    @Test
    void ociLayoutRoundTripKeepsTheImageId() throws Exception {
        LocalImageStore a = store("a");
        Image image = hutchMadeImage(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.OCI_LAYOUT, out);

        Map<String, byte[]> files = entries(out.toByteArray());
        assertTrue(files.containsKey("oci-layout"));
        assertTrue(files.containsKey("blobs/sha256/" + image.id().substring(7)), "the config blob is the image id");
        List<Image> loaded = new ImageLoader(store("b")).load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(image.id(), loaded.get(0).id());
        assertEquals(List.of("tool:1"), loaded.get(0).repoTags());
    }

    @Test
    void aForeignLayerIsSavedWithItsRealDigest() throws Exception {
        LocalImageStore a = store("a");
        // "./x": written back as "x", so the bytes differ
        Layer foreign = a.importLayer(new ByteArrayInputStream(new TestTars().file("./x", "1").bytes()));
        Image image = a.createImage(List.of(foreign.digest()), new ImageConfig(List.of(), null, List.of(), null, null, List.of(), null), List.of("f"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(a).save(List.of("f"), ImageSaver.Format.DOCKER_ARCHIVE, out);
        Image loaded = new ImageLoader(store("b")).load(new ByteArrayInputStream(out.toByteArray())).get(0);
        assertNotEquals(image.id(), loaded.id(), "the tar was written again, so its digest (and the id) changed");
        assertEquals("1", Files.readString(loaded.layerDirs().get(0).resolve("x")));
    }

    @Test
    void aLayerThatDoesNotMatchItsConfigIsRefused() throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + "1".repeat(64) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] layer = new TestTars().file("x", "1").bytes();
        TestTars archive = new TestTars().file("c.json", new String(config, StandardCharsets.UTF_8))
                .file("l/layer.tar", new String(layer, StandardCharsets.ISO_8859_1))
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"l/layer.tar\"]}]");
        LocalImageStore b = store("b");
        HutchException e = assertThrows(HutchException.class, () -> new ImageLoader(b).load(new ByteArrayInputStream(archive.bytes())));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        assertEquals(List.of(), b.list());
        assertNothingStored(b);
    }

    /** No layer in the store and nothing left under layers/tmp (the streamed layers are dropped). */
    private void assertNothingStored(LocalImageStore s) throws Exception {
        assertEquals(java.util.Set.of(), s.layers().digests());
        Path tmpDir = tmp.resolve("b/layers/tmp");
        if (Files.isDirectory(tmpDir)) try (var left = Files.list(tmpDir)) { assertEquals(List.of(), left.toList()); }
    }

    @Test
    void aLayerReachedThroughALinkIsLoaded() throws Exception {
        // docker 25's save: <id>/layer.tar is a symlink to the blob the OCI half of the archive holds
        byte[] layer = new TestTars().file("x", "through the link").bytes();
        String diffId = dev.hutch.util.Sha256.hex(layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
                + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        TestTars archive = new TestTars().file("blobs/sha256/" + diffId, new String(layer, StandardCharsets.ISO_8859_1))
                .file("c.json", new String(config, StandardCharsets.UTF_8))
                .symlink("id1/layer.tar", "../blobs/sha256/" + diffId)
                .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"linked:1\"],\"Layers\":[\"id1/layer.tar\"]}]");
        LocalImageStore b = store("b");
        Image loaded = new ImageLoader(b).load(new ByteArrayInputStream(archive.bytes())).get(0);
        assertEquals(List.of("sha256:" + diffId), loaded.layerDigests());
        assertEquals("through the link", Files.readString(loaded.layerDirs().get(0).resolve("x")));
        try (var left = Files.list(tmp.resolve("b/layers/tmp"))) { assertEquals(List.of(), left.toList()); }
    }

    @Test
    void aLayerNoManifestNamesIsNotStored() throws Exception {
        LocalImageStore a = store("a");
        hutchMadeImage(a);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, out);
        Map<String, byte[]> files = entries(out.toByteArray());
        TestTars archive = new TestTars().file("stray/layer.tar", new String(new TestTars().file("stray", "x").bytes(), StandardCharsets.ISO_8859_1));
        files.forEach((name, bytes) -> { if (!name.endsWith("/")) archive.file(name, new String(bytes, StandardCharsets.ISO_8859_1)); });
        LocalImageStore b = store("b");
        Image loaded = new ImageLoader(b).load(new ByteArrayInputStream(archive.bytes())).get(0);
        assertEquals(new java.util.TreeSet<>(loaded.layerDigests()), b.layers().digests(), "only the layer the manifest lists is stored");
        try (var left = Files.list(tmp.resolve("b/layers/tmp"))) { assertEquals(List.of(), left.toList()); }
    }

    @Test
    void aSaveWhoseLayerTarIsNotTheRememberedOneFailsAndForgetsIt() throws Exception {
        LocalImageStore a = store("a");
        Image image = hutchMadeImage(a);
        String layer = image.layerDigests().get(0);
        new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, new ByteArrayOutputStream());
        Path cache = a.layers().layerDir(layer).resolve("tar.json");
        assertTrue(Files.isRegularFile(cache), "the first save remembers the layer's tar digest and size");
        assertTrue(Files.readString(cache).contains(layer), Files.readString(cache));

        // a file of the stored layer changed behind hutch's back: the tar no longer has that digest
        Files.writeString(a.layers().fsDir(layer).resolve("bin/tool"), "#!/bin/sh\necho TOOL\n");
        HutchException e = assertThrows(HutchException.class,
                () -> new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("were expected"), e.getMessage());
        assertTrue(Files.notExists(cache), "the wrong digest is forgotten");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, out);
        Image loaded = new ImageLoader(store("b")).load(new ByteArrayInputStream(out.toByteArray())).get(0);
        assertEquals("#!/bin/sh\necho TOOL\n", Files.readString(loaded.layerDirs().get(0).resolve("bin/tool")));

        // grown past the remembered size: the archive's entry refuses the extra bytes, the cache goes too
        assertTrue(Files.isRegularFile(cache));
        Files.writeString(a.layers().fsDir(layer).resolve("bin/tool"), "x".repeat(5000));
        assertThrows(HutchException.class,
                () -> new ImageSaver(a).save(List.of("tool:1"), ImageSaver.Format.DOCKER_ARCHIVE, new ByteArrayOutputStream()));
        assertTrue(Files.notExists(cache), "the wrong size is forgotten");
    }
}
