package dev.hutch.image;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.archive.TestTars;
import dev.hutch.config.EngineConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalImageStoreTest {
    @TempDir
    Path libRoot;
    LocalImageStore store;
    ImageConfig config = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), null);

    @BeforeEach
    void setUp() { store = new LocalImageStore(EngineConfig.defaults().withLibRoot(libRoot)); }

    private Layer layer(String file, String content) {
        return store.importLayer(new ByteArrayInputStream(new TestTars().file(file, content).bytes()));
    }

    @Test
    void sameContentIsStoredOnce() throws Exception {
        Layer a = layer("hello", "world");
        Layer b = layer("hello", "world");
        assertEquals(a.digest(), b.digest());
        assertEquals(1, store.layers().digests().size());
        assertEquals("world", Files.readString(a.fsDir().resolve("hello")));
        assertEquals(libRoot.resolve("layers/sha256/" + a.hex() + "/fs"), a.fsDir());
    }

    @Test
    void imageIdIsTheSha256OfItsConfigFile() throws Exception {
        Image image = store.createImage(List.of(layer("a", "1").digest()), config, List.of("app:1"));
        Path file = libRoot.resolve("images/sha256/" + image.id().substring(7) + ".json");
        assertEquals(image.id(), "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    }

    @Test
    void resolvesNamesTagsIdsAndPrefixes() {
        Layer l = layer("a", "1");
        Image image = store.createImage(List.of(l.digest()), config, List.of("app"));
        assertEquals(List.of("app:latest"), image.repoTags());
        assertEquals(List.of(l.fsDir()), image.layerDirs());
        assertEquals(image.id(), store.resolve("app").id());
        assertEquals(image.id(), store.resolve("app:latest").id());
        assertEquals(image.id(), store.resolve(image.id()).id());
        assertEquals(image.id(), store.resolve(image.id().substring(7, 15)).id());
        assertEquals(image.id(), store.resolve("sha256:" + image.id().substring(7, 15)).id());
        assertNull(store.find("app:2"));
        NotFoundException e = assertThrows(NotFoundException.class, () -> store.resolve("nosuch"));
        assertEquals("Unable to find image 'nosuch:latest' (see hutch images)", e.getMessage());
    }

    @Test
    void removingOneOfTwoTagsOnlyUntags() {
        Layer l = layer("a", "1");
        Image image = store.createImage(List.of(l.digest()), config, List.of("app:1", "app:2"));
        RemovalReport r = store.remove("app:1", false, id -> false);
        assertEquals(List.of("Untagged: app:1"), r.lines());
        assertEquals(List.of("app:2"), store.resolve(image.id()).repoTags());
        assertTrue(store.layers().exists(l.digest()));
    }

    @Test
    void imageInUseIsRefusedAndForceOnlyUntagsIt() {
        Layer l = layer("a", "1");
        Image image = store.createImage(List.of(l.digest()), config, List.of("app"));
        HutchException e = assertThrows(HutchException.class, () -> store.remove("app", false, image.id()::equals));
        assertTrue(e.getMessage().contains("used by a container"), e.getMessage());
        RemovalReport r = store.remove("app", true, image.id()::equals);
        assertEquals(List.of("app:latest"), r.untagged());
        assertEquals(List.of(), r.deleted());
        assertNotNull(store.find(image.id()), "the image stays, dangling, while a container uses it");
        assertTrue(store.layers().exists(l.digest()));
    }

    @Test
    void sharedLayersGoWithTheLastImageThatUsesThem() {
        Layer base = layer("base", "b");
        Layer top = layer("top", "t");
        Image one = store.createImage(List.of(base.digest()), config, List.of("one"));
        Image two = store.createImage(List.of(base.digest(), top.digest()), config, List.of("two"));

        RemovalReport r2 = store.remove("two", false, id -> false);
        assertEquals(List.of(two.id(), top.digest()), r2.deleted());
        assertTrue(store.layers().exists(base.digest()), "one still uses the base layer");
        assertFalse(store.layers().exists(top.digest()));

        RemovalReport r1 = store.remove("one", false, id -> false);
        assertEquals(List.of(one.id(), base.digest()), r1.deleted());
        assertEquals(List.of(), store.list());
        assertTrue(store.layers().digests().isEmpty());
    }

    @Test
    void tagPointsANewNameAtAnImage() {
        Image image = store.createImage(List.of(layer("a", "1").digest()), config, List.of("app"));
        store.tag("app", "other:v2");
        assertEquals(image.id(), store.resolve("other:v2").id());
        assertEquals(List.of("app:latest", "other:v2"), store.resolve("app").repoTags());
        assertThrows(NotFoundException.class, () -> store.tag("nosuch", "x"));
    }

    @Test
    void refusesAnImageWhoseLayerIsNotStored() {
        HutchException e = assertThrows(HutchException.class,
                () -> store.createImage(List.of("sha256:" + "0".repeat(64)), config, List.of("x")));
        assertTrue(e.getMessage().contains("is not stored"), e.getMessage());
    }

    @Test
    void summariesCarryCreatedAndSize() {
        store.createImage(List.of(layer("a", "12345").digest()), config, List.of("app"));
        ImageSummary s = store.summaries().get(0);
        assertEquals(5, s.size());
        assertNotNull(s.created());
    }

    @Test
    void pruneRemovesOnlyUntaggedUnusedImages() {
        Layer l = layer("a", "1");
        Image kept = store.createImage(List.of(l.digest()), config, List.of("kept"));
        Image dangling = store.createImage(List.of(layer("b", "2").digest()), config, List.of());
        Image usedDangling = store.createImage(List.of(layer("c", "3").digest()), config, List.of());
        RemovalReport r = store.pruneDangling(usedDangling.id()::equals);
        assertEquals(List.of(dangling.id(), dangling.layerDigests().get(0)), r.deleted());
        assertNotNull(store.find(kept.id()));
        assertNotNull(store.find(usedDangling.id()));
    }

    @Test
    void aDirectoryThatCannotBeALayerLeavesNothingBehind() throws Exception {
        // a socket is no layer content: the tar writer fails on its thread, the unpacker on this one stops
        Path dir = Files.createDirectories(libRoot.resolve("src"));
        Files.write(dir.resolve("a-big-file"), new byte[3_000_000]); // more than the pipe holds, so both sides are busy
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(dir.resolve("z.sock")));
            HutchException e = assertThrows(HutchException.class, () -> store.layers().importDirectory(dir));
            assertTrue(e.getMessage().contains("sockets are not layer content"), e.getMessage());
        }
        assertEquals(java.util.Set.of(), store.layers().digests());
        try (var left = Files.list(libRoot.resolve("layers/tmp"))) { assertEquals(List.of(), left.toList()); }
    }
}
