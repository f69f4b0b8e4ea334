package dev.hutch.image;

import dev.hutch.archive.TestTars;
import dev.hutch.archive.Whiteouts;
import dev.hutch.config.EngineConfig;
import dev.hutch.layer.CopyDriver;
import dev.hutch.layer.RootfsPlan;
import dev.hutch.testing.RequiresRoot;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageCommitterTest {
    @TempDir
    Path tmp;
    LocalImageStore store;
    ImageCommitter committer;
    Image base;

    @BeforeEach
    void setUp() {
        store = new LocalImageStore(EngineConfig.defaults().withLibRoot(tmp.resolve("lib")));
        committer = new ImageCommitter(store);
        Layer layer = store.importLayer(new ByteArrayInputStream(
                new TestTars().dir("etc").file("etc/motd", "base").file("etc/old", "old").dir("opt").file("opt/a", "a").bytes()));
        base = store.createImage(List.of(layer.digest()),
                new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), null), List.of("base"));
    }

    @Test
    void commitAddsTheUpperDirAsALayerAndAppliesChanges() throws Exception {
        Path upper = Files.createDirectories(tmp.resolve("c/upper/srv"));
        Files.writeString(upper.resolve("index.html"), "hi");
        Image committed = committer.commit(base.id(), new ImageCommitter.ContainerLayers("overlay", tmp.resolve("c/upper"), base.layerDirs()),
                new ImageCommitter.CommitOptions(List.of("CMD [\"httpd\"]"), "me", "added a page", "sh -c make", List.of("web:1")));

        assertEquals(2, committed.layerDigests().size());
        assertEquals(base.layerDigests().get(0), committed.layerDigests().get(0), "the base layer is shared, not copied");
        assertEquals("hi", Files.readString(committed.layerDirs().get(1).resolve("srv/index.html")));
        assertEquals(List.of("httpd"), committed.config().cmd());
        assertEquals(List.of("web:1"), committed.repoTags());
        List<ImageViews.HistoryRow> history = new ImageViews(store).history("web:1");
        assertEquals(committed.id(), history.get(0).imageId());
        assertEquals("sh -c make", history.get(0).createdBy());
        assertEquals("added a page", history.get(0).comment());
        assertEquals(2, history.get(0).size());
        assertEquals("me", new ImageViews(store).inspect("web:1").get("Author"));
    }

    @Test
    void importMakesAOneLayerImage() throws Exception {
        Image imported = committer.importTarball(new ByteArrayInputStream(new TestTars().file("hello", "world").bytes()),
                List.of("CMD [\"/hello\"]"), "from a tarball", List.of("flat"));
        assertEquals(1, imported.layerDigests().size());
        assertEquals(List.of("/hello"), imported.config().cmd());
        assertEquals("world", Files.readString(imported.layerDirs().get(0).resolve("hello")));
    }

    @Test
    @RequiresRoot
    void exportShowsTheMergedViewWithWhiteoutsApplied() throws Exception {
        Path upper = Files.createDirectories(tmp.resolve("c/upper/etc"));
        Files.writeString(upper.resolve("motd"), "changed");
        Whiteouts.makeOverlayWhiteout(upper.resolve("old"));
        Files.createDirectories(tmp.resolve("c/upper/opt"));
        Whiteouts.markOverlayOpaque(tmp.resolve("c/upper/opt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        committer.export(new ImageCommitter.ContainerLayers("overlay", tmp.resolve("c/upper"), base.layerDirs()), out);

        List<String> names = new ArrayList<>();
        String motd = null;
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
                if (e.getName().equals("etc/motd")) motd = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        assertEquals(List.of("etc/", "etc/motd", "opt/"), names);
        assertEquals("changed", motd);
    }

    @Test
    @RequiresRoot
    void commitOfACopyDriverContainerStoresOnlyTheDifference() throws Exception {
        Path containerDir = tmp.resolve("c");
        RootfsPlan plan = new CopyDriver().prepare(containerDir, base.layerDirs());
        Files.writeString(plan.rootfs().resolve("etc/motd"), "changed!");
        Files.delete(plan.rootfs().resolve("etc/old"));
        Files.writeString(plan.rootfs().resolve("new"), "n");

        Image committed = committer.commit(base.id(), new ImageCommitter.ContainerLayers("copy", plan.upperDir(), plan.lowerDirs()),
                new ImageCommitter.CommitOptions(List.of(), null, null, null, List.of()));
        Path diff = committed.layerDirs().get(1);
        assertEquals("changed!", Files.readString(diff.resolve("etc/motd")));
        assertTrue(Whiteouts.isOverlayWhiteout(diff.resolve("etc/old")));
        assertEquals("n", Files.readString(diff.resolve("new")));
        assertFalse(Files.exists(diff.resolve("opt")), "unchanged content is not copied");
        try (var s = Files.list(containerDir)) {
            assertEquals(List.of(plan.rootfs()), s.toList(), "the commit's scratch dirs are gone");
        }
    }
}
