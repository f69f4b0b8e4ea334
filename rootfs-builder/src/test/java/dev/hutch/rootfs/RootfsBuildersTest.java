package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.archive.TarBuilder;
import dev.hutch.config.EngineConfig;
import dev.hutch.image.Image;
import dev.hutch.image.ImageSaver;
import dev.hutch.image.LocalImageStore;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TarRootfs, ArchiveImages and the debootstrap builder's checks. */
@RequiresRoot
class RootfsBuildersTest {
    @TempDir
    Path tmp;

    private LocalImageStore store(String name) {
        return new LocalImageStore(EngineConfig.defaults().withLibRoot(tmp.resolve(name)));
    }

    @Test
    void aRootfsTarPlainOrGzipBecomesAOneLayerImage() throws Exception {
        TarBuilder t = new TarBuilder(Instant.EPOCH).file("bin/busybox", 0755, "x".getBytes()).symlink("bin/sh", "busybox")
                .file("etc/os-release", 0644, "ID=test\n".getBytes());
        Path plain = tmp.resolve("rootfs.tar"), gz = tmp.resolve("rootfs.tar.gz");
        try (OutputStream o = Files.newOutputStream(plain)) { t.write(o); }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) { t.write(o); }
        LocalImageStore s = store("lib");
        Image a = new TarRootfs(s).build(plain, List.of("rootfs/plain"));
        Image b = new TarRootfs(s).build(gz, List.of("rootfs/gz"));
        assertEquals(a.layerDigests(), b.layerDigests(), "gzip is only the transport: same layer");
        assertEquals(1, a.layerDigests().size());
        assertEquals(List.of("sh"), a.config().cmd(), "it has /bin/sh");
        assertEquals("ID=test\n", Files.readString(a.layerDirs().get(0).resolve("etc/os-release")));

        Path noShell = tmp.resolve("noshell.tar");
        try (OutputStream o = Files.newOutputStream(noShell)) { new TarBuilder(Instant.EPOCH).file("data", 0644, new byte[1]).write(o); }
        assertEquals(List.of(), new TarRootfs(s).build(noShell, List.of()).config().cmd());
    }

    @Test
    void aHostileRootfsTarIsRefusedAndLeavesNothing() throws Exception {
        Path evil = tmp.resolve("evil.tar");
        try (TarArchiveOutputStream o = new TarArchiveOutputStream(Files.newOutputStream(evil))) {
            byte[] data = "pwned".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("../../escaped");
            e.setSize(data.length);
            o.putArchiveEntry(e);
            o.write(data);
            o.closeArchiveEntry();
        }
        LocalImageStore s = store("lib");
        assertThrows(HutchException.class, () -> new TarRootfs(s).build(evil, List.of("evil")));
        assertEquals(List.of(), s.list());
        assertTrue(s.layers().digests().isEmpty());
    }

    @Test
    @RequiresCommand({"busybox", "tar"})
    void ociAndDockerArchivesLoadFromFilesAndLayoutDirs() throws Exception {
        LocalImageStore from = store("from");
        Image busybox = BusyboxImageBuilder.ensure(from, "busybox");
        Path oci = tmp.resolve("oci.tar"), docker = tmp.resolve("docker.tar");
        try (OutputStream o = Files.newOutputStream(oci)) { new ImageSaver(from).save(List.of("busybox"), ImageSaver.Format.OCI_LAYOUT, o); }
        try (OutputStream o = Files.newOutputStream(docker)) { new ImageSaver(from).save(List.of("busybox"), ImageSaver.Format.DOCKER_ARCHIVE, o); }
        Path layout = Files.createDirectories(tmp.resolve("layout"));
        Process p = new ProcessBuilder("tar", "-xf", oci.toString(), "-C", layout.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());

        for (Path archive : List.of(oci, docker, layout)) {
            LocalImageStore to = store("to-" + archive.getFileName());
            List<Image> loaded = new ArchiveImages(to).load(archive, List.of("mine:1"));
            assertEquals(1, loaded.size(), archive.toString());
            assertEquals(busybox.id(), loaded.get(0).id(), archive + " keeps the image id");
            assertTrue(loaded.get(0).repoTags().contains("mine:1"), loaded.get(0).repoTags().toString());
        }
        HutchException e = assertThrows(HutchException.class, () -> new ArchiveImages(store("x")).load(tmp, List.of()));
        assertTrue(e.getMessage().contains("not an OCI image layout"), e.getMessage());
    }

    @Test
    void debootstrapMissingSaysWhatToInstall() {
        HutchException e = assertThrows(HutchException.class, () ->
                new DebootstrapRootfs(store("lib"), tmp.resolve("no-debootstrap")).build("bookworm", DebootstrapRootfs.DEFAULT_MIRROR, List.of(), l -> {}));
        assertTrue(e.getMessage().contains("apt-get install debootstrap"), e.getMessage());
    }
}
