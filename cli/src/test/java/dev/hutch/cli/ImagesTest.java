package dev.hutch.cli;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.image.Image;
import dev.hutch.state.ContainerState;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.hutch.cli.InProcessCli.container;
import static org.junit.jupiter.api.Assertions.*;

/**
 * commit, images, rmi, tag, history, image inspect, export/import, save/load, through the CLI,
 * with the effects checked where they land: in a container run from the new image, and in the
 * layer store's directories.
 */
@RequiresRoot
class ImagesTest {
    static TestRoots roots;
    static Engine engine;
    static InProcessCli cli;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        engine = Engines.forHost(roots.config());
        cli = new InProcessCli(roots, engine);
        engine.image("busybox"); // built once here, so every test starts with it stored
    }

    @AfterAll
    static void tearDown() {
        if (engine != null) {
            for (ContainerState s : engine.list(true)) engine.remove(s.id(), true, true);
        }
        if (roots != null) roots.close();
    }

    private static Path layersDir() { return roots.config().libRoot().resolve("layers/sha256"); }

    private static Set<String> layerDirs() throws IOException {
        if (!Files.isDirectory(layersDir())) return Set.of();
        try (Stream<Path> s = Files.list(layersDir())) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static List<String> tmpLeftovers() throws IOException {
        Path tmp = roots.config().libRoot().resolve("layers/tmp");
        if (!Files.isDirectory(tmp)) return List.of();
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String exited(String... cmd) {
        Started s = engine.run(container("busybox", cmd).build(), true);
        assertEquals(0, engine.waitFor(s.id()));
        return s.id();
    }

    @Test
    void aCommittedImageHasTheWrittenFileNotTheDeletedOneAndTheNewCmd() {
        String c = exited("sh", "-c", "echo hello > /hello && rm /etc/group");
        String tag = "commit-" + roots.tag() + ":1";
        var r = cli.hutch("commit", "-c", "CMD [\"cat\",\"/hello\"]", "-m", "a message", c, tag);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().trim().matches("sha256:[0-9a-f]{64}"), r.out());
        engine.remove(c, false, true);

        assertEquals("0|hello\n", cli.runToEnd(container(tag).build()), "the default command is the --change CMD");
        assertEquals("1|", cli.runToEnd(container(tag, "test", "-e", "/etc/group").build()), "the deleted file is gone");
        assertEquals("0|", cli.runToEnd(container(tag, "test", "-e", "/etc/passwd").build()), "the rest of busybox is there");
        var top = engine.images().find(tag);
        java.nio.file.Path topLayer = top.layerDirs().get(top.layerDirs().size() - 1);
        assertTrue(java.nio.file.Files.exists(topLayer.resolve("hello")), "the new layer holds the written file");
        assertFalse(java.nio.file.Files.exists(topLayer.resolve("etc/resolv.conf")),
                "the runtime's bind-mount points are not committed");

        var cmd = cli.hutch("image", "inspect", "-f", "{{json .Config.Cmd}}", tag);
        assertEquals("[\"cat\",\"/hello\"]\n", cmd.out(), cmd.toString());
        var history = cli.hutch("history", tag);
        assertTrue(history.out().lines().skip(1).findFirst().orElseThrow().contains("a message"), history.out());
        assertTrue(cli.hutch("images").out().contains("commit-" + roots.tag()), "images lists the new tag");
        assertEquals(0, cli.hutch("rmi", tag).code());
    }

    @Test
    void aRunningContainerIsFrozenForTheCommitAndRunsOnAfterIt() {
        Started s = engine.run(container("busybox", "sh", "-c", "echo live > /live; sleep 100").build(), true);
        try {
            awaitFile(s, "/live");
            var r = cli.hutch("commit", s.id(), "running-" + roots.tag());
            assertEquals(0, r.code(), r.toString());
            assertEquals("running", engine.inspect(s.id()).status().label(), "unpaused after the commit");
            assertEquals("0|live\n", cli.runToEnd(container("running-" + roots.tag(), "cat", "/live").build()));
        } finally {
            engine.remove(s.id(), true, true);
        }
        assertEquals(0, cli.hutch("rmi", "running-" + roots.tag()).code());
    }

    private static void awaitFile(Started s, String path) {
        for (int i = 0; i < 100; i++) {
            if (engine.execCapture(s.id(), dev.hutch.spec.ExecSpec.of("test", "-e", path)).exitCode() == 0) return;
            try { Thread.sleep(50); } catch (InterruptedException e) { throw new AssertionError(e); }
        }
        fail(path + " never appeared");
    }

    @Test
    void aLayerSharedByTwoImagesIsStoredOnceAndGoesWithTheLast() throws Exception {
        String busyboxLayer = engine.image("busybox").layerDigests().get(0).substring(7);
        String a = exited("touch", "/a"), b = exited("touch", "/b");
        String tagA = "shared-a-" + roots.tag(), tagB = "shared-b-" + roots.tag();
        assertEquals(0, cli.hutch("commit", a, tagA).code());
        assertEquals(0, cli.hutch("commit", b, tagB).code());
        assertEquals(0, cli.hutch("tag", tagA, tagA + ":again").code());
        engine.remove(a, false, true);
        engine.remove(b, false, true);

        Image imageA = engine.images().resolve(tagA), imageB = engine.images().resolve(tagB);
        assertEquals(busyboxLayer, imageA.layerDigests().get(0).substring(7));
        assertEquals(busyboxLayer, imageB.layerDigests().get(0).substring(7));
        // one dir per distinct layer: busybox's once, plus each commit's own
        String topA = imageA.layerDigests().get(1).substring(7), topB = imageB.layerDigests().get(1).substring(7);
        assertTrue(layerDirs().containsAll(Set.of(busyboxLayer, topA, topB)), layerDirs().toString());
        assertEquals(1, layerDirs().stream().filter(busyboxLayer::equals).count());

        var untag = cli.hutch("rmi", tagA + ":again");
        assertEquals(List.of("Untagged: " + tagA + ":again"), untag.out().lines().toList(), "another tag remains: only untagged");
        assertEquals(0, cli.hutch("rmi", tagA).code());
        assertFalse(layerDirs().contains(topA), "A's own layer went with A");
        assertTrue(layerDirs().contains(busyboxLayer), "busybox and B still use the shared layer");

        assertEquals(0, cli.hutch("rmi", "busybox").code());
        assertTrue(layerDirs().contains(busyboxLayer), "B still uses it");
        var last = cli.hutch("rmi", tagB);
        assertEquals(0, last.code(), last.toString());
        assertFalse(layerDirs().contains(busyboxLayer), "the last image that used it is gone: so is the layer");
        assertTrue(last.out().contains("Deleted: sha256:" + busyboxLayer), last.out());
        engine.image("busybox"); // for the other tests
    }

    @Test
    void anImageAContainerUsesIsNotRemoved() {
        String c = exited("true");
        String tag = "inuse-" + roots.tag();
        assertEquals(0, cli.hutch("commit", c, tag).code());
        Started s = engine.run(container(tag, "true").build(), true);
        engine.waitFor(s.id());
        var r = cli.hutch("rmi", tag);
        assertEquals(1, r.code());
        assertTrue(r.err().contains("is used by a container"), r.err());
        engine.remove(s.id(), false, true);
        engine.remove(c, false, true);
        assertEquals(0, cli.hutch("rmi", tag).code());
    }

    @Test
    void exportThenImportGivesAnImageWithTheFile() throws Exception {
        String c = exited("sh", "-c", "echo exported > /hello");
        Path tar = roots.dir().resolve("export.tar");
        var r = cli.hutch("export", "-o", tar.toString(), c);
        assertEquals(0, r.code(), r.toString());
        engine.remove(c, false, true);
        String tag = "imported-" + roots.tag();
        var imp = cli.hutch("import", "-c", "CMD [\"cat\",\"/hello\"]", tar.toString(), tag);
        assertEquals(0, imp.code(), imp.toString());
        assertEquals("0|exported\n", cli.runToEnd(container(tag).build()));
        assertEquals(1, engine.images().resolve(tag).layerDigests().size(), "import makes one flat layer");
        assertEquals(0, cli.hutch("rmi", tag).code());
        Files.delete(tar);
    }

    @Test
    void saveThenLoadRunsInBothFormats() throws Exception {
        // a deleted file puts a whiteout in the committed layer: the hardest part to keep byte-exact
        String c = exited("sh", "-c", "echo saved > /hello && rm /etc/group");
        String tag = "saved-" + roots.tag() + ":1";
        assertEquals(0, cli.hutch("commit", "-c", "CMD [\"cat\",\"/hello\"]", c, tag).code());
        engine.remove(c, false, true);
        String id = engine.images().find(tag).id();
        for (String format : List.of("docker-archive", "oci-archive")) {
            Path tar = roots.dir().resolve(format + ".tar");
            var save = cli.hutch("save", "--format", format, "-o", tar.toString(), tag);
            assertEquals(0, save.code(), save.toString());
            assertEquals(0, cli.hutch("rmi", tag).code());
            assertNull(engine.images().find(tag));
            var load = cli.hutch("load", "-i", tar.toString());
            assertEquals(0, load.code(), load.toString());
            assertEquals("Loaded image: " + tag + "\n", load.out());
            assertEquals("0|saved\n", cli.runToEnd(container(tag).build()), format);
            assertEquals(id, engine.images().find(tag).id(), format + ": save and load keep the image id");
            Files.delete(tar);
        }
        assertEquals(0, cli.hutch("rmi", tag).code());
    }

    @Test
    void badInputIs125AndWritesNothing() throws Exception {
        Path out = roots.dir().resolve("never.tar");
        var unknown = cli.hutch("save", "-o", out.toString(), "no-such-image-" + roots.tag());
        assertEquals(125, unknown.code());
        assertTrue(unknown.err().startsWith("hutch: Unable to find image"), unknown.err());
        var format = cli.hutch("save", "--format", "zip", "-o", out.toString(), "busybox");
        assertEquals(125, format.code());
        assertTrue(format.err().contains("--format: \"zip\""), format.err());
        // docker: "No such container" exits 1, from export as from every verb (issue 11)
        assertEquals(1, cli.hutch("export", "-o", out.toString(), "no-such-container").code());
        try (Stream<Path> s = Files.list(roots.dir())) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains("never")).toList(), "no file, no temp file");
        }

        Set<String> layersBefore = layerDirs();
        String c = exited("touch", "/x");
        var change = cli.hutch("commit", "-c", "FROB x", c, "bad-" + roots.tag());
        assertEquals(125, change.code());
        assertTrue(change.err().contains("FROB x"), change.err());
        var tag = cli.hutch("commit", c, "Not/A:Valid:Name");
        assertEquals(125, tag.code());
        engine.remove(c, false, true);
        assertEquals(layersBefore, layerDirs(), "a refused commit stores no layer");
        assertEquals(125, cli.hutch("tag", "no-such-image-" + roots.tag(), "x").code());
    }

    // ---- hostile archives ----

    private record Entry(String name, byte type, String content, String link) {}

    private static byte[] tar(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry te = new TarArchiveEntry(e.name(), e.type(), true);
                if (e.link() != null) te.setLinkName(e.link());
                byte[] data = e.content() == null ? new byte[0] : e.content().getBytes(StandardCharsets.UTF_8);
                if (e.type() == TarConstants.LF_NORMAL) te.setSize(data.length);
                te.setMode(e.type() == TarConstants.LF_DIR ? 0755 : 0644);
                t.putArchiveEntry(te);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Entry file(String name, String content) { return new Entry(name, TarConstants.LF_NORMAL, content, null); }

    private static Entry symlink(String name, String target) { return new Entry(name, TarConstants.LF_SYMLINK, null, target); }

    @Test
    void aHostileTarIsRefusedByImportAndLeavesNothing() throws Exception {
        Path escapeTarget = roots.dir().resolve("escaped");
        List<byte[]> hostile = List.of(
                tar(file("ok", "fine"), file("../../../../../../.." + escapeTarget, "out")),
                tar(file("/" + escapeTarget.getFileName(), "absolute")),
                tar(symlink("a", roots.dir().toString()), file("a/escaped", "through a link")),
                tar(symlink("up", "../../../../../../../../tmp"), file("z", "x")));
        int n = 0;
        for (byte[] t : hostile) {
            Path f = roots.dir().resolve("hostile-" + (n++) + ".tar");
            Files.write(f, t);
            assertRefusedAndNothingLeft(() -> cli.hutch("import", f.toString(), "hostile-" + roots.tag()), f.toString());
            Files.delete(f);
        }
        assertFalse(Files.exists(escapeTarget, java.nio.file.LinkOption.NOFOLLOW_LINKS), "nothing was written outside");
    }

    @Test
    void aHostileLayerInAnArchiveIsRefusedByLoadAndTheGoodLayersBeforeItGoToo() throws Exception {
        byte[] good = tar(file("good", "a good layer " + roots.tag()));
        byte[] bad = tar(file("../evil", "escape"));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                + sha256(good) + "\",\"" + sha256(bad) + "\"]}}";
        String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"hostile-load-" + roots.tag() + ":1\"],\"Layers\":[\"good/layer.tar\",\"bad/layer.tar\"]}]";
        Path archive = roots.dir().resolve("hostile-load.tar");
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            for (var e : List.of(java.util.Map.entry("manifest.json", manifest.getBytes()), java.util.Map.entry("config.json", config.getBytes()),
                    java.util.Map.entry("good/layer.tar", good), java.util.Map.entry("bad/layer.tar", bad))) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                t.putArchiveEntry(te);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        assertRefusedAndNothingLeft(() -> cli.hutch("load", "-i", archive.toString()), "load of a bad layer");
        Path outer = roots.dir().resolve("hostile-outer.tar");
        Files.write(outer, tar(file("manifest.json", "[]"), file("../../outside", "x")));
        assertRefusedAndNothingLeft(() -> cli.hutch("load", "-i", outer.toString()), "load of a bad outer tar");
        Files.delete(archive);
        Files.delete(outer);
    }

    private static void assertRefusedAndNothingLeft(java.util.function.Supplier<InProcessCli.Result> action, String what) throws IOException {
        Set<String> layersBefore = layerDirs();
        List<String> imagesBefore = cli.hutch("images", "-q", "--no-trunc").out().lines().toList();
        var r = action.get();
        assertEquals(125, r.code(), what + ": " + r);
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertEquals(layersBefore, layerDirs(), what + ": no new layer dir");
        assertEquals(imagesBefore, cli.hutch("images", "-q", "--no-trunc").out().lines().toList(), what + ": no new image");
        assertEquals(List.of(), tmpLeftovers(), what + ": no temp dir");
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
